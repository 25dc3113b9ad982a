/**
 * XChaCha20-Poly1305 (IETF) with associated data. Format of a sealed value:
 * `nonce (24 bytes, random) ‖ ciphertext ‖ tag (16 bytes)`. Low-level: use sealNote/sealFile
 * (core/model) for items, which also bind the AD and sign.
 */
import { VaultError } from '../errors.js';
import { randomBytes } from './random.js';
import { sodium } from './sodium.js';
import type { SymmetricKey } from './key-types.js';

export const NONCE_BYTES = 24;
export const TAG_BYTES = 16;

/** Encrypt `plaintext` under a 32-byte key, binding `ad`. Returns nonce ‖ ct ‖ tag. */
export function aeadSeal(key: SymmetricKey, plaintext: Uint8Array, ad: Uint8Array): Uint8Array {
  const nonce = randomBytes(NONCE_BYTES);
  const ct = sodium().crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, ad, null, nonce, key);
  const out = new Uint8Array(NONCE_BYTES + ct.length);
  out.set(nonce, 0);
  out.set(ct, NONCE_BYTES);
  return out;
}

/**
 * Decrypt a value made by aeadSeal. Throws VaultError('TAMPERED') if the bytes, the AD or the
 * key do not match (AEAD cannot tell these apart), VaultError('TRUNCATED') if too short.
 */
export function aeadOpen(key: SymmetricKey, sealed: Uint8Array, ad: Uint8Array): Uint8Array {
  if (sealed.length < NONCE_BYTES + TAG_BYTES) throw new VaultError('TRUNCATED', 'aeadOpen: ciphertext too short');
  try {
    return sodium().crypto_aead_xchacha20poly1305_ietf_decrypt(
      null, sealed.subarray(NONCE_BYTES), ad, sealed.subarray(0, NONCE_BYTES), key,
    );
  } catch (e) {
    throw new VaultError('TAMPERED', 'aeadOpen: authentication failed', { cause: e });
  }
}

/** X25519 sealed boxes (crypto_box_seal): wrap a share key for a member's box public key. */
import { VaultError } from '../errors.js';
import { sodium } from './sodium.js';
import type { BoxKeyPair, BoxPublicKey } from './key-types.js';

/** Anonymous encryption to `pk` (48 bytes overhead). Use wrapShareKeyForMember instead. */
export function boxSeal(pk: BoxPublicKey, message: Uint8Array): Uint8Array {
  return sodium().crypto_box_seal(message, pk);
}

/** Open a sealed box. Throws VaultError('WRONG_KEY') if not for this keypair or altered. */
export function boxOpen(kp: BoxKeyPair, sealed: Uint8Array): Uint8Array {
  try {
    return sodium().crypto_box_seal_open(sealed, kp.publicKey, kp.secretKey);
  } catch (e) {
    throw new VaultError('WRONG_KEY', 'boxOpen: not addressed to this key or altered', { cause: e });
  }
}

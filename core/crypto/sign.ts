/** Ed25519 detached signatures with a domain string prefix, so a signature of one kind
 *  (auth, log, record) can never be replayed as another. */
import { VaultError } from '../errors.js';
import { concatBytes, utf8 } from '../encoding.js';
import { sodium } from './sodium.js';
import type { SignPublicKey, SignSecretKey } from './key-types.js';

export const SIGNATURE_BYTES = 64;

/** Ed25519 over `utf8(domain) ‖ message` → 64-byte signature. */
export function signDetached(sk: SignSecretKey, domain: string, message: Uint8Array): Uint8Array {
  return sodium().crypto_sign_detached(concatBytes(utf8(domain), message), sk);
}

/** Verify; throws VaultError('BAD_SIGNATURE') on any mismatch or malformed input. */
export function verifyDetached(pk: SignPublicKey, domain: string, message: Uint8Array, sig: Uint8Array): void {
  let ok = false;
  try {
    ok = sig.length === SIGNATURE_BYTES && pk.length === 32 &&
      sodium().crypto_sign_verify_detached(sig, concatBytes(utf8(domain), message), pk);
  } catch {
    ok = false;
  }
  if (!ok) throw new VaultError('BAD_SIGNATURE', `verifyDetached: bad ${domain} signature`);
}

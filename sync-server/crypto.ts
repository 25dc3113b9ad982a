/** The relay's only cryptography: Ed25519 verification, SHA-256 and HMAC from node:crypto. */
import { createHash, createHmac, createPublicKey, verify } from 'node:crypto';
import { b64urlDecode } from '../protocol/index.js';

const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** Verifies an Ed25519 signature; public key and signature are base64url. Never throws. */
export function verifyEd25519(publicKeyB64: string, message: Uint8Array, sigB64: string): boolean {
  const pk = b64urlDecode(publicKeyB64);
  const sig = b64urlDecode(sigB64);
  if (!pk || pk.length !== 32 || !sig || sig.length !== 64) return false;
  try {
    const key = createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, pk]), format: 'der', type: 'spki' });
    return verify(null, message, key, sig);
  } catch {
    return false;
  }
}

/** base64url SHA-256. */
export function sha256b64url(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('base64url');
}

/** HMAC-SHA256(key, parts joined by NUL). */
export function hmac(key: Uint8Array, ...parts: string[]): Buffer {
  return createHmac('sha256', key).update(parts.join('\0')).digest();
}

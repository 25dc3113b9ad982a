/** Hashes: SHA-256 (chunk ids, log chain) and BLAKE2b (keyed: commitments, subkeys). */
import { sodium } from './sodium.js';

/** SHA-256 of `data` → 32 bytes. */
export function sha256(data: Uint8Array): Uint8Array {
  return sodium().crypto_hash_sha256(data);
}

/** SHA-512 of `data` → 64 bytes. */
export function sha512(data: Uint8Array): Uint8Array {
  return sodium().crypto_hash(data);
}

/**
 * BLAKE2b (crypto_generichash) of `data` → `length` bytes (16..64), keyed when `key` is given
 * (key 16..64 bytes). Throws on out-of-range sizes (libsodium error → caller's bug).
 */
export function blake2b(data: Uint8Array, length = 32, key: Uint8Array | null = null): Uint8Array {
  return sodium().crypto_generichash(length, data, key);
}

/**
 * SHA-256 via the platform's native WebCrypto (`crypto.subtle.digest`, ~8× faster here than
 * libsodium's WASM), falling back to libsodium where subtle is missing. Same bytes as sha256().
 */
export async function sha256Async(data: Uint8Array): Promise<Uint8Array> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return sha256(data);
  return new Uint8Array(await subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>));
}

/**
 * Randomness from the platform CSPRNG (`crypto.getRandomValues`, the global WebCrypto present
 * in Node 20, browsers and Workers). libsodium.js's randombytes_buf is avoided: it costs
 * 40–80 µs a call here. Nonces are always random, never counters a relay could reset.
 */
const MAX_GETRANDOM = 65536;

/**
 * `n` random bytes. (Tests that need fixed or recorded values replace this module with
 * `vi.mock`; production code has no switch to turn randomness off.)
 */
export function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let off = 0; off < n; off += MAX_GETRANDOM) {
    globalThis.crypto.getRandomValues(out.subarray(off, Math.min(n, off + MAX_GETRANDOM)));
  }
  return out;
}

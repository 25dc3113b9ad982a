/**
 * Randomness from the platform CSPRNG (`crypto.getRandomValues`, the global WebCrypto present
 * in Node 20, browsers and Workers). libsodium.js's randombytes_buf is avoided: it costs
 * 40–80 µs a call here. Nonces are always random, never counters a relay could reset.
 */
type RandomSource = (n: number) => Uint8Array;

const MAX_GETRANDOM = 65536;

function platformRandom(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let off = 0; off < n; off += MAX_GETRANDOM) {
    globalThis.crypto.getRandomValues(out.subarray(off, Math.min(n, off + MAX_GETRANDOM)));
  }
  return out;
}

let source: RandomSource = platformRandom;

/** `n` random bytes. */
export function randomBytes(n: number): Uint8Array {
  return source(n);
}

/**
 * TEST HOOK ONLY: replace the random source (known-answer vectors use fixed nonces and keys).
 * Pass `null` to restore the platform CSPRNG. Never call this from application code.
 */
export function __setRandomSourceForTests(fn: RandomSource | null): void {
  source = fn ?? platformRandom;
}

/** Zeroing key material and plaintext buffers (when a vault locks, after a chunk is sealed). */

/**
 * Overwrite every given buffer with zeros in place. Ignores null/undefined. `fill(0)` is a
 * memset; libsodium-wrappers' memzero is a JS loop over every byte (~1.5 ms per MiB of file
 * plaintext wiped after each chunk), with the same effect on a JS buffer.
 */
export function wipe(...buffers: (Uint8Array | null | undefined)[]): void {
  for (const b of buffers) if (b && b.length > 0) b.fill(0);
}

/** Zeroing key material (sodium.memzero) when a vault locks. */
import { sodium } from './sodium.js';

/** Overwrite every given buffer with zeros in place. Ignores null/undefined. */
export function wipe(...buffers: (Uint8Array | null | undefined)[]): void {
  const s = sodium();
  for (const b of buffers) if (b && b.length > 0) s.memzero(b);
}

/** Constant-time comparison for secrets (MACs, verifiers, key checks). */
import { sodium } from './sodium.js';

/** True iff `a` and `b` have equal length and bytes; time depends only on the length. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  return sodium().memcmp(a, b);
}

/**
 * The clock the renderer's lock timer runs on. Normally wall time. With a test override of
 * the idle timeout (seconds, below the policy's one-minute floor) time runs faster by
 * `60·idleMinutes / idleSeconds`, so the policy's own minute-based rules fire sooner; the
 * absolute lifetime shrinks by the same factor. It can only ever lock sooner.
 */
import type { LockClock } from '../../main/lock-policy.js';

export function lockClock(now: () => number, idleMinutes: number, idleSecondsOverride: number | null): LockClock {
  if (idleSecondsOverride === null) return { now };
  const factor = Math.max(1, (idleMinutes * 60) / idleSecondsOverride);
  const start = now();
  return { now: () => start + (now() - start) * factor };
}

/**
 * When an unlocked session must lock (R3). Import-free on purpose: the Electron main process
 * and the renderer (web client too) both use it. Time is injected (`now()` in milliseconds
 * since the epoch), so tests drive it without sleeping.
 *
 * Lock triggers: OS suspend, OS lock-screen, no user input for `idleMinutes`, and an absolute
 * session lifetime of `absoluteMinutes` (default 180) counted from unlock, whatever the activity.
 */

export type LockReason = 'suspend' | 'lock-screen' | 'idle' | 'absolute' | 'user';
export type OsLockEvent = 'suspend' | 'lock-screen';

export interface LockPolicyConfig {
  /** Minutes without input before locking; 1..1440. */
  idleMinutes: number;
  /** Minutes after unlock when the session ends regardless of activity; 1..1440. */
  absoluteMinutes: number;
  lockOnSuspend: boolean;
  lockOnScreenLock: boolean;
}

export const DEFAULT_LOCK_POLICY: Readonly<LockPolicyConfig> = Object.freeze({
  idleMinutes: 10,
  absoluteMinutes: 180,
  lockOnSuspend: true,
  lockOnScreenLock: true,
});

const MAX_MINUTES = 24 * 60;

/**
 * Checks a (possibly user-supplied) partial config and fills in defaults.
 * Throws RangeError (message starts with `lockPolicyConfig:`) for non-integer or out-of-range
 * minutes and for non-boolean switches.
 */
export function lockPolicyConfig(input: Partial<LockPolicyConfig> = {}): LockPolicyConfig {
  const merged = { ...DEFAULT_LOCK_POLICY, ...input };
  for (const key of ['idleMinutes', 'absoluteMinutes'] as const) {
    const v = merged[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > MAX_MINUTES) {
      throw new RangeError(`lockPolicyConfig: ${key} must be an integer from 1 to ${MAX_MINUTES}`);
    }
  }
  for (const key of ['lockOnSuspend', 'lockOnScreenLock'] as const) {
    if (typeof merged[key] !== 'boolean') throw new RangeError(`lockPolicyConfig: ${key} must be a boolean`);
  }
  return {
    idleMinutes: merged.idleMinutes,
    absoluteMinutes: merged.absoluteMinutes,
    lockOnSuspend: merged.lockOnSuspend,
    lockOnScreenLock: merged.lockOnScreenLock,
  };
}

/** Maps an OS event to a lock reason, or null when the config says not to lock on it. */
export function osEventLockReason(event: OsLockEvent, config: LockPolicyConfig): LockReason | null {
  if (event === 'suspend') return config.lockOnSuspend ? 'suspend' : null;
  if (event === 'lock-screen') return config.lockOnScreenLock ? 'lock-screen' : null;
  return null;
}

export interface LockClock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export interface SessionLockTimer {
  /** Call once when the session unlocks; starts the absolute lifetime and the idle window. */
  unlocked(): void;
  /** Call on user input (keys, pointer) seen by this process. */
  activity(): void;
  /** Forget the session (it has been locked). `check` then returns null. */
  locked(): void;
  readonly isUnlocked: boolean;
  /**
   * Whether to lock now. `systemIdleSeconds` (optional) is the OS's own idle counter
   * (Electron powerMonitor.getSystemIdleTime). The smaller of it and our own count is used,
   * so input anywhere on the machine keeps the session alive. Absolute lifetime wins over
   * idle when both apply.
   */
  check(systemIdleSeconds?: number): LockReason | null;
  /** Milliseconds until the next moment `check` could return a reason (for scheduling). */
  msUntilNextCheck(): number;
}

export function createSessionLockTimer(config: LockPolicyConfig, clock: LockClock): SessionLockTimer {
  const cfg = lockPolicyConfig(config);
  const idleMs = cfg.idleMinutes * 60_000;
  const absoluteMs = cfg.absoluteMinutes * 60_000;
  let unlockedAt: number | null = null;
  let lastActivity = 0;

  const idleFor = (systemIdleSeconds?: number): number => {
    const own = clock.now() - lastActivity;
    if (systemIdleSeconds === undefined || !Number.isFinite(systemIdleSeconds) || systemIdleSeconds < 0) return own;
    return Math.min(own, systemIdleSeconds * 1000);
  };

  return {
    unlocked() {
      unlockedAt = clock.now();
      lastActivity = unlockedAt;
    },
    activity() {
      if (unlockedAt !== null) lastActivity = Math.max(lastActivity, clock.now());
    },
    locked() {
      unlockedAt = null;
    },
    get isUnlocked() {
      return unlockedAt !== null;
    },
    check(systemIdleSeconds) {
      if (unlockedAt === null) return null;
      if (clock.now() - unlockedAt >= absoluteMs) return 'absolute';
      if (idleFor(systemIdleSeconds) >= idleMs) return 'idle';
      return null;
    },
    msUntilNextCheck() {
      if (unlockedAt === null) return idleMs;
      const now = clock.now();
      const toAbsolute = unlockedAt + absoluteMs - now;
      const toIdle = lastActivity + idleMs - now;
      return Math.max(0, Math.min(toAbsolute, toIdle));
    },
  };
}

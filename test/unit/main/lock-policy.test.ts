import { describe, expect, it } from 'vitest';
import { createSessionLockTimer, DEFAULT_LOCK_POLICY, lockPolicyConfig, osEventLockReason } from '../../../main/lock-policy.js';
import { readFileSync } from 'node:fs';

const MIN = 60_000;
function clock(start = 1_700_000_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

describe('lock policy', () => {
  it('defaults to a 180-minute absolute lifetime', () => {
    expect(DEFAULT_LOCK_POLICY.absoluteMinutes).toBe(180);
    expect(lockPolicyConfig()).toEqual({ ...DEFAULT_LOCK_POLICY });
  });

  it('locks after the idle timeout, not before; activity resets it', () => {
    const c = clock();
    const t = createSessionLockTimer(lockPolicyConfig({ idleMinutes: 5 }), c);
    expect(t.check()).toBeNull(); // not unlocked yet
    t.unlocked();
    c.advance(5 * MIN - 1);
    expect(t.check()).toBeNull();
    t.activity();
    c.advance(5 * MIN - 1);
    expect(t.check()).toBeNull();
    expect(t.msUntilNextCheck()).toBe(1);
    c.advance(1);
    expect(t.check()).toBe('idle');
  });

  it('uses the OS idle counter when it is shorter (input elsewhere keeps the session)', () => {
    const c = clock();
    const t = createSessionLockTimer(lockPolicyConfig({ idleMinutes: 5 }), c);
    t.unlocked();
    c.advance(6 * MIN);
    expect(t.check(30)).toBeNull();
    expect(t.check(5 * 60)).toBe('idle');
    expect(t.check(Number.NaN)).toBe('idle');
  });

  it('locks at the absolute lifetime even with constant activity', () => {
    const c = clock();
    const t = createSessionLockTimer(lockPolicyConfig({ idleMinutes: 10, absoluteMinutes: 180 }), c);
    t.unlocked();
    for (let m = 0; m < 179; m++) {
      c.advance(MIN);
      t.activity();
      expect(t.check(0)).toBeNull();
    }
    c.advance(MIN);
    expect(t.check(0)).toBe('absolute');
    t.locked();
    expect(t.check(0)).toBeNull();
    expect(t.isUnlocked).toBe(false);
  });

  it('absolute lifetime is configurable and wins over idle', () => {
    const c = clock();
    const t = createSessionLockTimer(lockPolicyConfig({ idleMinutes: 30, absoluteMinutes: 30 }), c);
    t.unlocked();
    c.advance(30 * MIN);
    expect(t.check()).toBe('absolute');
  });

  it('suspend and lock-screen lock as configured', () => {
    expect(osEventLockReason('suspend', DEFAULT_LOCK_POLICY)).toBe('suspend');
    expect(osEventLockReason('lock-screen', DEFAULT_LOCK_POLICY)).toBe('lock-screen');
    const relaxed = lockPolicyConfig({ lockOnSuspend: false, lockOnScreenLock: false });
    expect(osEventLockReason('suspend', relaxed)).toBeNull();
    expect(osEventLockReason('lock-screen', relaxed)).toBeNull();
  });

  it('refuses nonsense configuration with a clear error', () => {
    expect(() => lockPolicyConfig({ idleMinutes: 0 })).toThrow(/idleMinutes must be an integer from 1 to 1440/);
    expect(() => lockPolicyConfig({ absoluteMinutes: 1.5 })).toThrow(RangeError);
    expect(() => lockPolicyConfig({ absoluteMinutes: Number.POSITIVE_INFINITY })).toThrow(/absoluteMinutes/);
    expect(() => lockPolicyConfig({ lockOnSuspend: 'yes' as unknown as boolean })).toThrow(/lockOnSuspend must be a boolean/);
  });

  it('imports nothing, so the renderer can use it', () => {
    const src = readFileSync(new URL('../../../main/lock-policy.ts', import.meta.url), 'utf8');
    expect(src).not.toMatch(/^\s*import\s/m);
    expect(src).not.toMatch(/require\(/);
  });
});

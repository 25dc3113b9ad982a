import { describe, expect, it } from 'vitest';
import { Backoff } from '../../../core/sync/backoff.js';

describe('Backoff', () => {
  it('doubles the ceiling up to the maximum, with jitter from the injected random', () => {
    const b = new Backoff({ baseMs: 100, maxMs: 1000, minMs: 0, random: () => 0.999 });
    expect([b.next(), b.next(), b.next(), b.next(), b.next(), b.next()]).toEqual([99, 199, 399, 799, 999, 999]);
    b.reset();
    expect(b.next()).toBe(99);
  });
  it('never goes below the minimum', () => {
    const b = new Backoff({ baseMs: 100, minMs: 20, random: () => 0 });
    expect(b.next()).toBe(20);
  });
  it('spreads delays (full jitter)', () => {
    let x = 1;
    const random = () => { x = (x * 16807) % 2147483647; return x / 2147483647; };
    const b = new Backoff({ baseMs: 1000, maxMs: 1000, minMs: 0, random });
    const ds = Array.from({ length: 50 }, () => b.next());
    expect(new Set(ds).size).toBeGreaterThan(40);
    expect(Math.max(...ds)).toBeLessThan(1000);
  });
});

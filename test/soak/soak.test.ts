/**
 * Bounded soak (the 60 s variant of `npm run soak`): 100 devices in 10 teams against one real
 * relay process on loopback. No error of any kind, RSS flat within the bound justified in
 * bench/soak.ts, and every acknowledged push is present at the end. SOAK_SECONDS overrides the
 * load time (default 45 s, plus ~5 s setup and the final check).
 */
import { describe, expect, it } from 'vitest';
import { runSoak } from '../../bench/soak.js';

const seconds = Number(process.env.SOAK_SECONDS ?? 45);

describe('soak (bounded)', () => {
  it(`100 devices for ${seconds} s: no error, memory flat, nothing lost`, async () => {
    const r = await runSoak({ devices: 100, seconds, warmupSeconds: 10 });
    console.log(`soak: ${r.devices} devices, ${r.seconds} s: ${r.pushesAcked} pushes acked, ${r.pulls} pulls, ${r.notices} notices; ` +
      `relay RSS ${r.warmRssMiB.toFixed(1)} MiB after warm-up → ${r.lastRssMiB.toFixed(1)} MiB at the end (bound ${r.rssBoundMiB.toFixed(1)}); ` +
      `${r.checked} acked items checked, ${r.missing} missing`);
    expect(r.errors).toEqual([]);
    expect(r.devices).toBe(100);
    expect(r.pushesAcked).toBeGreaterThan(100 * (seconds / 4)); // every device kept pushing
    expect(r.checked).toBeGreaterThan(100);
    expect(r.missing).toBe(0);
    expect(r.lastRssMiB).toBeLessThanOrEqual(r.rssBoundMiB);
  }, 150_000);
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { newKeys } from './helpers/client.js';
import { addCode, connectCode, connectDevice, createShare, createTeam, record } from './helpers/fixtures.js';
import { backends, startInProcess } from './helpers/relay-harness.js';

const DAY = 24 * 3600 * 1000;

describe.each(backends)('relay privacy: rate limits, logs, metrics ($name)', (backend) => {
  let now = Date.UTC(2026, 0, 1);
  let r: Awaited<ReturnType<typeof startInProcess>>;
  beforeAll(async () => {
    r = await startInProcess(backend, { clock: { now: () => now }, rateLimit: { freeFailures: 2, blockAfter: 4, blockMs: 3600_000, maxBackoffMs: 60_000 } });
  });
  afterAll(async () => { await r.stop(); });

  it('slows then blocks brute force on a code, and forgets the source after at most 7 days (R13)', async () => {
    const { c, team, owner } = await createTeam(r.url);
    const log = await createShare(c, owner);
    const code = await addCode(c, log, owner);
    const attempt = async () => {
      const a = await connectCode(r.url, team, code.code, newKeys());
      await a.c.closed;
      return a.c.closeCode;
    };
    expect([await attempt(), await attempt(), await attempt()]).toEqual([4001, 4001, 4001]); // 3rd failure starts backoff
    expect(await attempt()).toBe(4008);
    const right = await connectCode(r.url, team, code.code, code.verifier);
    expect(right.first).toMatchObject({ type: 'error', code: 'RATE_LIMITED' }); // even the right code waits
    now += 2000;
    expect(await attempt()).toBe(4001); // 4th failure: blocked for an hour
    now += 30 * 60_000;
    expect(await attempt()).toBe(4008);
    const rows = () => backend.authFailureRows(r.dir);
    expect(await rows()).toBe(1);
    expect((await backend.storedBytes(r.dir)).includes(Buffer.from('127.0.0.1'))).toBe(false);
    now += 6 * DAY;
    expect((await r.relay.maintenance()).authRows).toBe(0);
    expect(await rows()).toBe(1);
    now += DAY;
    expect((await r.relay.maintenance()).authRows).toBe(1);
    expect(await rows()).toBe(0);
    c.close();
  });

  it('logs and metrics carry no address and no id (R13, R14)', async () => {
    const lines: string[] = [];
    const r2 = await startInProcess(backend, { log: pino({ level: 'debug', base: undefined }, { write: (s: string) => void lines.push(s) }) });
    const { c, team, owner } = await createTeam(r2.url);
    const log = await createShare(c, owner);
    const code = await addCode(c, log, owner);
    const pushed = await c.request({ type: 'push', share: log.share, records: [record({ kind: 'account', id: owner.account })] });
    await connectCode(r2.url, team, code.code, newKeys()); // a failed auth
    c.send('{broken');
    await c.next((m) => m.type === 'error');
    const d = await connectDevice(r2.url, team, owner);
    d.c.close();
    c.close();
    await d.c.closed;
    const metrics = await (await fetch(r2.url.replace('ws', 'http') + '/metrics')).text();
    expect(await (await fetch(r2.url.replace('ws', 'http') + '/healthz')).text()).toBe('ok\n');
    expect(metrics).toMatch(/truhe_auth_total\{method="code",result="fail"\} 1/);
    expect(metrics).toMatch(/truhe_records_pushed_total 1/);
    await r2.stop();
    const text = lines.join('');
    expect(lines.length).toBeGreaterThan(3);
    for (const secret of [team, owner.account, owner.device, log.share, code.code, pushed.acks[0].item, '127.0.0.1', '::1', '::ffff:']) {
      expect(text.includes(secret), `log contains ${secret}`).toBe(false);
      expect(metrics.includes(secret), `metrics contain ${secret}`).toBe(false);
    }
    for (const l of lines) expect(Object.keys(JSON.parse(l))).not.toContain('pid');
  });
});

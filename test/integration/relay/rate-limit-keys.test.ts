/**
 * Rate limiting keyed by (source network, team, credential) (issue 15): one bad actor behind a
 * NAT slows only the credential it attacks, never a device of another team (or another
 * credential) behind the same address; an IPv6 /64 counts as one source. Real relay on a real
 * port, both storage backends; client addresses come from X-Forwarded-For (trustProxy).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sourceNetwork } from '../../../sync-server/rate-limit.js';
import { newKeys, TestClient, type Keys } from './helpers/client.js';
import { addCode, createShare, createTeam, type Member } from './helpers/fixtures.js';
import { backends, startInProcess } from './helpers/relay-harness.js';

async function attempt(url: string, from: string, team: string, auth: { method: 'code'; code: string; key: Keys } | { method: 'device'; m: Member }) {
  const c = await TestClient.open(url, { headers: { 'x-forwarded-for': from } });
  await c.hello();
  if (auth.method === 'code') c.send({ type: 'auth', method: 'code', team, code: auth.code, sig: c.authSig(auth.key, team, 'code', auth.code) });
  else c.send({ type: 'auth', method: 'device', team, device: auth.m.device, sig: c.authSig(auth.m.deviceKeys, team, 'device', auth.m.device) });
  const first = await c.next();
  c.close();
  return first.type === 'welcome' ? 'welcome' : (first.code as string);
}

describe('sourceNetwork', () => {
  it('keeps IPv4 addresses, cuts IPv6 to its /64 (any spelling), unwraps IPv4-mapped IPv6', () => {
    expect(sourceNetwork('203.0.113.7')).toBe('203.0.113.7');
    expect(sourceNetwork('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(sourceNetwork('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(sourceNetwork('2001:0db8:0001:0002:ffff:1:2:3')).toBe('2001:db8:1:2::/64');
    expect(sourceNetwork('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(sourceNetwork('2001:db8:1:3::1')).not.toBe(sourceNetwork('2001:db8:1:2::1'));
  });
});

describe.each(backends)('rate-limit keys ($name)', (backend) => {
  let r: Awaited<ReturnType<typeof startInProcess>>;
  beforeAll(async () => {
    r = await startInProcess(backend, { trustProxy: true, rateLimit: { freeFailures: 2, blockAfter: 4, blockMs: 3600_000, maxBackoffMs: 60_000 } });
  });
  afterAll(async () => { await r.stop(); });

  it('failures from one address against team X never slow a device of team Y, nor another credential of X', async () => {
    const x = await createTeam(r.url);
    const xCode = await addCode(x.c, await createShare(x.c, x.owner), x.owner);
    const y = await createTeam(r.url);
    const nat = '198.51.100.23';
    const wrong = { method: 'code' as const, code: xCode.code, key: newKeys() };
    const got = [];
    for (let i = 0; i < 6; i++) got.push(await attempt(r.url, nat, x.team, wrong));
    expect(got.slice(0, 3)).toEqual(['AUTH_FAILED', 'AUTH_FAILED', 'AUTH_FAILED']);
    expect(got.at(-1)).toBe('RATE_LIMITED');
    // behind the same NAT: team Y's device and team X's own device are not slowed
    expect(await attempt(r.url, nat, y.team, { method: 'device', m: y.owner })).toBe('welcome');
    expect(await attempt(r.url, nat, x.team, { method: 'device', m: x.owner })).toBe('welcome');
    // the attacked credential stays limited from that address (even with the right key) ...
    expect(await attempt(r.url, nat, x.team, { method: 'code', code: xCode.code, key: xCode.verifier })).toBe('RATE_LIMITED');
    // ... but not from another address
    expect(await attempt(r.url, '192.0.2.99', x.team, { method: 'code', code: xCode.code, key: xCode.verifier })).toBe('welcome');
    x.c.close();
    y.c.close();
  });

  it('an IPv6 /64 counts as one source; the next /64 is another', async () => {
    const x = await createTeam(r.url);
    const xCode = await addCode(x.c, await createShare(x.c, x.owner), x.owner);
    const wrong = { method: 'code' as const, code: xCode.code, key: newKeys() };
    const got = [];
    for (let i = 1; i <= 5; i++) got.push(await attempt(r.url, `2001:db8:aa:bb::${i}`, x.team, wrong)); // 5 addresses, one /64
    expect(got.at(-1)).toBe('RATE_LIMITED');
    expect(await attempt(r.url, '2001:db8:aa:bb:ffff:ffff:ffff:fffe', x.team, { method: 'code', code: xCode.code, key: xCode.verifier })).toBe('RATE_LIMITED');
    expect(await attempt(r.url, '2001:db8:aa:bc::1', x.team, { method: 'code', code: xCode.code, key: xCode.verifier })).toBe('welcome');
    x.c.close();
  });

  it('a wall clock set back: rows stamped in the future are purged by the next sweep, so no block or row outlives its time (R13)', async () => {
    let now = Date.UTC(2026, 5, 1);
    const j = await startInProcess(backend, { trustProxy: true, clock: { now: () => now }, rateLimit: { freeFailures: 0, blockAfter: 1, blockMs: 3600_000, maxBackoffMs: 60_000 } });
    try {
      const x = await createTeam(j.url);
      const xCode = await addCode(x.c, await createShare(x.c, x.owner), x.owner);
      expect(await attempt(j.url, '203.0.113.9', x.team, { method: 'code', code: xCode.code, key: newKeys() })).toBe('AUTH_FAILED');
      expect(await attempt(j.url, '203.0.113.9', x.team, { method: 'code', code: xCode.code, key: xCode.verifier })).toBe('RATE_LIMITED');
      expect(await backend.authFailureRows(j.dir)).toBe(1);
      now -= 30 * 24 * 3600_000; // NTP fixes a clock that ran a month ahead
      expect((await j.relay.maintenance()).authRows).toBe(1);
      expect(await backend.authFailureRows(j.dir)).toBe(0);
      expect(await attempt(j.url, '203.0.113.9', x.team, { method: 'code', code: xCode.code, key: xCode.verifier })).toBe('welcome');
      x.c.close();
    } finally {
      await j.stop();
    }
  });
});

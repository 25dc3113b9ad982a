/**
 * code.usage on every storage backend (SQLite, PostgreSQL), at the protocol level: the UTC day
 * a code last opened a session (set by code auth, one day value per code) and the sessions open
 * with it now; owner and admin may ask, an editor and a guest code may not; a rotated code
 * leaves the answer and its successor starts at "never".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId, newKeys } from './helpers/client.js';
import { addCode, addTeamMember, append, connectCode, connectDevice, createShare, createTeam } from './helpers/fixtures.js';
import { backends, startInProcess } from './helpers/relay-harness.js';

describe.each(backends)('code.usage ($name)', (backend) => {
  let r: Awaited<ReturnType<typeof startInProcess>>;
  let now = Date.parse('2026-03-04T23:30:00Z');
  beforeAll(async () => { r = await startInProcess(backend, { clock: { now: () => now } }); });
  afterAll(async () => { await r.stop(); });

  it('records the day of the last session per code and counts open sessions; rotation removes the code', async () => {
    const t = await createTeam(r.url);
    const { c, team, owner } = t;
    const log = await createShare(c, owner);
    const a = await addCode(c, log, owner);
    const b = await addCode(c, log, owner);
    const usage = async () => {
      const ans = await c.request({ type: 'code.usage', share: log.share });
      expect(ans.type).toBe('ok');
      return Object.fromEntries((ans.codes as { code: string; lastUsedDay: string | null; openSessions: number }[]).map((x) => [x.code, [x.lastUsedDay, x.openSessions]]));
    };
    expect(await usage()).toEqual({ [a.code]: [null, 0], [b.code]: [null, 0] });

    const g1 = await connectCode(r.url, team, a.code, a.verifier);
    expect(g1.first.type).toBe('welcome');
    expect(await usage()).toEqual({ [a.code]: ['2026-03-04', 1], [b.code]: [null, 0] });
    now += 60 * 60_000; // past midnight UTC
    const g2 = await connectCode(r.url, team, a.code, a.verifier);
    expect(await usage()).toEqual({ [a.code]: ['2026-03-05', 2], [b.code]: [null, 0] });
    // a wrong verifier signature opens nothing and records no use
    const bad = await connectCode(r.url, team, b.code, newKeys());
    expect(bad.first).toMatchObject({ type: 'error', code: 'AUTH_FAILED' });
    g1.c.close();
    let u = await usage();
    for (let i = 0; i < 100 && u[a.code]![1] !== 1; i++) { await new Promise((res) => setTimeout(res, 20)); u = await usage(); }
    expect(u).toEqual({ [a.code]: ['2026-03-05', 1], [b.code]: [null, 0] });

    // rotate a → a2: a is gone (its live session is closed), a2 starts at never
    const a2 = newKeys();
    const a2id = newId();
    expect(await append(c, log, owner, { t: 'code.rotate', old: a.code, code: a2id, verifierPk: a2.pk, readOnly: false, expiresAt: null, labelEnc: 'AAAA', ...log.nextEpoch() })).toMatchObject({ type: 'ok' });
    expect(await usage()).toEqual({ [a2id]: [null, 0], [b.code]: [null, 0] });
    for (const x of [g2.c, bad.c]) x.close();
  });

  it('an admin may ask; an editor, a guest code and a non-member may not', async () => {
    const t = await createTeam(r.url);
    const { c, team, owner } = t;
    const log = await createShare(c, owner);
    const code = await addCode(c, log, owner);
    const g = await connectCode(r.url, team, code.code, code.verifier);
    expect(await g.c.request({ type: 'code.usage', share: log.share })).toMatchObject({ type: 'error', code: 'NOT_ALLOWED' });
    const ed = (await addTeamMember(r.url, t)).m;
    const ad = (await addTeamMember(r.url, t)).m;
    const out = (await addTeamMember(r.url, t)).m;
    expect(await append(c, log, owner, { t: 'add', account: ed.account, boxPk: ed.boxPk, signPk: ed.sign.pk, role: 'editor' })).toMatchObject({ type: 'ok' });
    expect(await append(c, log, owner, { t: 'add', account: ad.account, boxPk: ad.boxPk, signPk: ad.sign.pk, role: 'admin' })).toMatchObject({ type: 'ok' });
    const es = await connectDevice(r.url, team, ed);
    const as = await connectDevice(r.url, team, ad);
    const os = await connectDevice(r.url, team, out);
    expect(await es.c.request({ type: 'code.usage', share: log.share })).toMatchObject({ type: 'error', code: 'NOT_ALLOWED' });
    expect(await os.c.request({ type: 'code.usage', share: log.share })).toMatchObject({ type: 'error', code: 'NOT_FOUND' });
    expect(await as.c.request({ type: 'code.usage', share: log.share })).toMatchObject({ type: 'ok', codes: [{ code: code.code, lastUsedDay: '2026-03-05', openSessions: 1 }] });
    for (const x of [g.c, es.c, as.c, os.c]) x.close();
  });
});

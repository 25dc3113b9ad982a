import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId, newKeys, TestClient } from './helpers/client.js';
import { addCode, addTeamMember, append, connectCode, connectDevice, createShare, createTeam, deviceReg, newMember, record, rosterAppend } from './helpers/fixtures.js';
import { backends, startInProcess } from './helpers/relay-harness.js';

describe.each(backends)('relay auth ($name)', (backend) => {
  let r: Awaited<ReturnType<typeof startInProcess>>;
  // many deliberate failures from one address: keep the rate limiter out of the way here (privacy.test.ts tests it)
  beforeAll(async () => { r = await startInProcess(backend, { rateLimit: { freeFailures: 1000, blockAfter: 10_000 } }); });
  afterAll(async () => { await r.stop(); });

  it('authenticates a device by signature and says what the session is', async () => {
    const { c, team, owner } = await createTeam(r.url);
    c.close();
    const { c: d, first } = await connectDevice(r.url, team, owner);
    expect(first).toEqual({ type: 'welcome', as: { kind: 'device', account: owner.account, device: owner.device, role: null, team: 'owner' }, shares: [] });
    d.close();
  });

  it('refuses a wrong signature and an unknown device with AUTH_FAILED and close 4001', async () => {
    const { c, team, owner } = await createTeam(r.url);
    c.close();
    const wrong = { ...owner, deviceKeys: newKeys() };
    const a = await connectDevice(r.url, team, wrong);
    expect(a.first).toMatchObject({ type: 'error', code: 'AUTH_FAILED' });
    expect((await a.c.closed).code).toBe(4001);
    const b = await connectDevice(r.url, team, { ...owner, device: newId() });
    expect(b.first).toMatchObject({ type: 'error', code: 'AUTH_FAILED' });
    expect((await b.c.closed).code).toBe(4001);
    const u = await connectDevice(r.url, newId(), owner);
    expect(u.first).toMatchObject({ type: 'error', code: 'AUTH_FAILED' });
  });

  it('refuses an old protocol version with close 4007', async () => {
    const c = await TestClient.open(r.url);
    c.send({ type: 'hello', protocol: 0 });
    expect(await c.next()).toMatchObject({ type: 'error', code: 'PROTOCOL_MISMATCH' });
    expect(await c.next()).toMatchObject({ type: 'closing', code: 4007 });
    expect((await c.closed).code).toBe(4007);
  });

  it('answers a revoked device with wipe (and its signed order) and close 4006 only, live sessions included', async () => {
    const t = await createTeam(r.url);
    const { c, team, owner } = t;
    const second = { ...newMember(), account: owner.account, sign: owner.sign };
    // the account session registers a second device
    const acc = await TestClient.open(r.url);
    await acc.hello();
    acc.send({ type: 'auth', method: 'account', team, account: owner.account, sig: acc.authSig(owner.auth, team, 'account', owner.account) });
    expect(await acc.next()).toMatchObject({ type: 'welcome', as: { kind: 'account', account: owner.account } });
    const dr = deviceReg(second);
    const entry = t.roster.entry(owner, { t: 'device.add', account: owner.account, device: second.device, signPk: second.deviceKeys.pk, cert: dr.cert });
    const reg = await acc.request({ type: 'device.register', device: dr, entry });
    expect(reg).toMatchObject({ type: 'ok', as: { kind: 'device', device: second.device } });
    expect(await rosterAppend(c, t.roster, owner, [{ t: 'device.revoke', account: owner.account, device: second.device, lost: false }])).toMatchObject({ type: 'ok' });
    const order = t.roster.entries.at(-1);
    expect(await acc.next((m) => m.type === 'wipe')).toEqual({ type: 'wipe', order });
    expect((await acc.closed).code).toBe(4006);
    const again = await connectDevice(r.url, team, second);
    expect(again.first).toEqual({ type: 'wipe', order });
    expect((await again.c.closed).code).toBe(4006);
    expect(again.c.inbox).toEqual([]);
    c.close();
  });

  it('refuses an account session with a wrong auth key', async () => {
    const { c, team, owner } = await createTeam(r.url);
    c.close();
    const acc = await TestClient.open(r.url);
    await acc.hello();
    acc.send({ type: 'auth', method: 'account', team, account: owner.account, sig: acc.authSig(newKeys(), team, 'account', owner.account) });
    expect(await acc.next()).toMatchObject({ type: 'error', code: 'AUTH_FAILED' });
    expect((await acc.closed).code).toBe(4001);
  });

  it('code sessions: read-only cannot push; rotation closes the live session (4002) and refuses the old code', async () => {
    const { c, team, owner } = await createTeam(r.url);
    const log = await createShare(c, owner);
    const ro = await addCode(c, log, owner, { readOnly: true });
    const rw = await addCode(c, log, owner);
    const g = await connectCode(r.url, team, ro.code, ro.verifier);
    expect(g.first).toMatchObject({ type: 'welcome', as: { kind: 'code', code: ro.code, share: log.share, readOnly: true }, shares: [log.share] });
    const denied = await g.c.request({ type: 'push', share: log.share, records: [record({ kind: 'code', id: ro.code })] });
    expect(denied).toMatchObject({ type: 'error', code: 'READ_ONLY' });
    expect(await g.c.request({ type: 'pull', share: log.share, since: 0 })).toMatchObject({ type: 'ok', records: [] });

    const w = await connectCode(r.url, team, rw.code, rw.verifier);
    expect(await w.c.request({ type: 'push', share: log.share, records: [record({ kind: 'code', id: rw.code })] })).toMatchObject({ type: 'ok', seqs: [1] });
    const newCode = newId();
    const rot = await append(c, log, owner, { t: 'code.rotate', old: rw.code, code: newCode, verifierPk: newKeys().pk, readOnly: false, expiresAt: null, labelEnc: 'AAAA', ...log.nextEpoch() });
    expect(rot).toMatchObject({ type: 'ok' });
    expect(await w.c.next((m) => m.type === 'closing')).toMatchObject({ code: 4002 });
    expect((await w.c.closed).code).toBe(4002);
    const old = await connectCode(r.url, team, rw.code, rw.verifier);
    expect(old.first).toMatchObject({ type: 'error', code: 'AUTH_FAILED' });
    // the read-only code was not touched
    expect(await g.c.request({ type: 'pull', share: log.share, since: 0 })).toMatchObject({ type: 'ok', head: 1 });
    g.c.close();
    c.close();
  });

  it('expired codes are refused with 4004 and live sessions close when the code expires', async () => {
    const { c, team, owner } = await createTeam(r.url);
    const log = await createShare(c, owner);
    const past = await addCode(c, log, owner, { expiresAt: Date.now() - 1000 });
    const soon = await addCode(c, log, owner, { expiresAt: Date.now() + 700 });
    const p = await connectCode(r.url, team, past.code, past.verifier);
    expect(p.first).toMatchObject({ type: 'error', code: 'CODE_EXPIRED' });
    expect((await p.c.closed).code).toBe(4004);
    const s = await connectCode(r.url, team, soon.code, soon.verifier);
    expect(s.first).toMatchObject({ type: 'welcome' });
    expect(await s.c.next((m) => m.type === 'closing')).toMatchObject({ code: 4004 });
    expect((await s.c.closed).code).toBe(4004);
    c.close();
  });

  it('blocking a member closes their sessions (4005) and removes access; others keep working', async () => {
    const t = await createTeam(r.url);
    const { c, team, owner } = t;
    const log = await createShare(c, owner);
    const b = (await addTeamMember(r.url, t)).m;
    expect(await append(c, log, owner, { t: 'add', account: b.account, boxPk: b.boxPk, signPk: b.sign.pk, role: 'editor' })).toMatchObject({ type: 'ok' });
    const bs = await connectDevice(r.url, team, b);
    expect(bs.first).toMatchObject({ type: 'welcome', shares: [log.share], as: { role: 'editor' } });
    expect(await bs.c.request({ type: 'push', share: log.share, records: [record({ kind: 'account', id: b.account })] })).toMatchObject({ type: 'ok' });
    // an editor may not change membership
    const forged = await bs.c.request({ type: 'log.append', share: log.share, entries: [{ ...log.entry(b, { t: 'role', account: b.account, role: 'owner' }) }], wraps: [] });
    log.entries.pop();
    expect(forged).toMatchObject({ type: 'error', code: 'NOT_ALLOWED' });
    expect(await append(c, log, owner, { t: 'block', account: b.account, ...log.nextEpoch() }, [{ epoch: 1, to: { kind: 'account', id: owner.account }, wrapped: 'AAAA' }])).toMatchObject({ type: 'ok' });
    expect((await bs.c.closed).code).toBe(4005);
    const again = await connectDevice(r.url, team, b);
    expect(await again.c.request({ type: 'pull', share: log.share, since: 0 })).toMatchObject({ type: 'error', code: 'NOT_FOUND' });
    expect(await c.request({ type: 'pull', share: log.share, since: 0 })).toMatchObject({ type: 'ok', head: 1 });
    const keys = await c.request({ type: 'keys.get', share: log.share });
    expect(keys.wraps.map((w: any) => w.epoch)).toEqual([0, 1]);
    again.c.close();
    c.close();
  });

  it('a member of team X can address no id of team Y (R9)', async () => {
    const x = await createTeam(r.url);
    const y = await createTeam(r.url);
    const yLog = await createShare(y.c, y.owner);
    const ycode = await addCode(y.c, yLog, y.owner);
    const put = await y.c.request({ type: 'push', share: yLog.share, records: [record({ kind: 'account', id: y.owner.account })] });
    expect(put).toMatchObject({ type: 'ok' });
    for (const req of [
      { type: 'pull', share: yLog.share, since: 0 }, { type: 'log.get', share: yLog.share, since: 0 }, { type: 'keys.get', share: yLog.share },
      { type: 'history', share: yLog.share, item: put.acks[0].item }, { type: 'chunk.has', share: yLog.share, hashes: [] },
      { type: 'push', share: yLog.share, records: [record({ kind: 'account', id: x.owner.account })] },
      { type: 'log.append', share: yLog.share, entries: [yLog.entries[0]], wraps: [] },
    ]) {
      expect(await x.c.request(req), req.type).toMatchObject({ type: 'error', code: 'NOT_FOUND' });
    }
    // X's owner is a team admin: it lists devices of its own team only, and revokes none of Y's
    expect(await x.c.request({ type: 'device.list', account: y.owner.account })).toMatchObject({ type: 'ok', devices: [] });
    expect(await rosterAppend(x.c, x.roster, x.owner, [{ t: 'device.revoke', account: y.owner.account, device: y.owner.device, lost: true }])).toMatchObject({ type: 'error', code: 'NOT_ALLOWED' });
    expect((await x.c.request({ type: 'roster.get', since: 0 })).entries.map((e: any) => e.team)).toEqual([x.team, x.team]);
    // Y's credentials presented under X's team id do not authenticate
    expect((await connectDevice(r.url, x.team, y.owner)).first).toMatchObject({ code: 'AUTH_FAILED' });
    expect((await connectCode(r.url, x.team, ycode.code, ycode.verifier)).first).toMatchObject({ code: 'AUTH_FAILED' });
    x.c.close();
    y.c.close();
  });
});

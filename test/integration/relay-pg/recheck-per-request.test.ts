/**
 * Two relay instances on one PostgreSQL database whose fan-out message never arrives (issue 15):
 * a device deactivated, or a code revoked, through instance A is refused by instance B on the
 * very next request, because B re-checks the database per request instead of trusting its
 * session state. Real relays on real ports, a real database, no fan-out between them.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRelay, type Relay } from '../../../sync-server/relay.js';
import { openPgStorage, type PgStorage } from '../../../sync-server/storage/postgres/index.js';
import { newId, newKeys, TestClient } from '../relay/helpers/client.js';
import { addCode, append, connectCode, connectDevice, createShare, createTeam, deviceReg, record } from '../relay/helpers/fixtures.js';
import { createDatabase } from './helpers/pg-db.js';

describe('per-request re-checks on PostgreSQL without fan-out', () => {
  let db: Awaited<ReturnType<typeof createDatabase>>;
  const stores: PgStorage[] = [];
  let a: Relay;
  let b: Relay;
  beforeAll(async () => {
    db = await createDatabase();
    for (let i = 0; i < 2; i++) stores.push(await openPgStorage({ url: db.url, poolSize: 4 }));
    // no `fanout`: as if every publish from A to B failed (it is only logged)
    a = await createRelay({ storage: stores[0]!, log: pino({ level: 'silent' }) });
    b = await createRelay({ storage: stores[1]!, log: pino({ level: 'silent' }) });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    for (const s of stores) await s.close();
    await db?.drop();
  });

  it('a device deactivated through A is wiped by B at its next request, before any data', async () => {
    const { c: onA, team, owner } = await createTeam(a.url);
    const log = await createShare(onA, owner);
    expect((await onA.request({ type: 'push', share: log.share, records: [record({ kind: 'account', id: owner.account })] })).type).toBe('ok');
    const d2 = { ...owner, device: newId(), deviceKeys: newKeys() };
    const acc = await TestClient.open(a.url);
    await acc.hello();
    acc.send({ type: 'auth', method: 'account', team, account: owner.account, sig: acc.authSig(owner.auth, team, 'account', owner.account) });
    expect(await acc.next()).toMatchObject({ type: 'welcome' });
    expect(await acc.request({ type: 'device.register', device: deviceReg(d2) })).toMatchObject({ type: 'ok' });
    acc.close();
    const { c: onB, first } = await connectDevice(b.url, team, d2);
    expect(first).toMatchObject({ type: 'welcome' });
    expect((await onB.request({ type: 'pull', share: log.share, since: 0 })).records.length).toBe(1);

    expect(await onA.request({ type: 'device.deactivate', device: d2.device })).toMatchObject({ type: 'ok' });
    await new Promise((r) => setTimeout(r, 100));
    expect(onB.closeCode).toBeNull(); // B was not told
    onB.send({ type: 'pull', share: log.share, since: 0, id: 99 });
    expect((await onB.closed).code).toBe(4006);
    expect(onB.inbox).toEqual([{ type: 'wipe' }]); // the pull got no answer, only the wipe
    onA.close();
  });

  it('a code revoked through A is refused by B at its next request', async () => {
    const { c: onA, team, owner } = await createTeam(a.url);
    const log = await createShare(onA, owner);
    const code = await addCode(onA, log, owner);
    const guest = await connectCode(b.url, team, code.code, code.verifier);
    expect(guest.first).toMatchObject({ type: 'welcome' });
    expect(await append(onA, log, owner, { t: 'code.revoke', code: code.code, ...log.nextEpoch() })).toMatchObject({ type: 'ok' });
    await new Promise((r) => setTimeout(r, 100));
    expect(guest.c.closeCode).toBeNull(); // B was not told
    guest.c.send({ type: 'pull', share: log.share, since: 0, id: 99 });
    expect((await guest.c.closed).code).toBe(4003);
    expect(guest.c.inbox.map((m) => (m as { type?: string }).type)).toEqual(['closing']); // no records, only the reason
    onA.close();
  });
});

/**
 * Cross-team isolation on PostgreSQL (R9): each team lives in its own schema; a team's store
 * names only its own schema, so ids of another team resolve to nothing — even when the caller
 * knows them exactly — and concurrent pushes from two stores keep per-share seqs gap-free.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgStorage, type PgStorage } from '../../../sync-server/storage/postgres/index.js';
import type { TeamStore } from '../../../sync-server/storage/types.js';
import { newId } from '../relay/helpers/client.js';
import { accountReg, deviceReg, newMember, record, RosterLog, sha256 } from '../relay/helpers/fixtures.js';
import { createDatabase, withClient } from './helpers/pg-db.js';
import { ZERO_HASH } from '../../../protocol/index.js';

async function seedTeam(st: PgStorage) {
  const team = newId();
  const m = newMember();
  const roster = new RosterLog(team);
  expect(await st.createTeam(team, accountReg(m) as never, deviceReg(m) as never, roster.genesis(m) as never, [{ epoch: 0, account: m.account, wrapped: 'AAAA' }] as never, Date.now())).toBe(true);
  const store = (await st.openTeam(team))!;
  const share = newId();
  const code = newId();
  const create = { share, index: 0, prev: ZERO_HASH, ts: 1, author: m.account, op: { t: 'create', owner: m.account, boxPk: m.boxPk, signPk: m.sign.pk, epoch: 0, keyCommit: 'A'.repeat(43) }, sig: 'A'.repeat(86) };
  expect((await store.applyLogEntries(share, m.account, [create as never], [{ epoch: 0, to: { kind: 'account', id: m.account }, wrapped: 'AAAA' } as never], 1)).ok).toBe(true);
  const r = record({ kind: 'account', id: m.account });
  const bytes = randomBytes(1000);
  const hash = sha256(bytes);
  expect(await store.putChunk(share, hash, bytes, 1e9, Date.now())).toBe('stored');
  expect((await store.pushRecords(share, [{ ...r, chunks: [hash] } as never], 20)).ok).toBe(true);
  // a code, through the log
  const prev = (await store.getLog(share, 0))[0]!;
  const { entryHash } = await import('../../../sync-server/membership.js');
  const codeEntry = { share, index: 1, prev: entryHash(prev), ts: 2, author: m.account, op: { t: 'code.create', code, verifierPk: m.sign.pk, readOnly: false, expiresAt: null, labelEnc: 'AAAA' }, sig: 'A'.repeat(86) };
  expect((await store.applyLogEntries(share, m.account, [codeEntry as never], [], 2)).ok).toBe(true);
  return { team, m, store, share, code, item: r.item, hash };
}

describe('cross-team isolation on PostgreSQL (R9)', () => {
  let db: Awaited<ReturnType<typeof createDatabase>>;
  let st: PgStorage;
  beforeAll(async () => {
    db = await createDatabase();
    st = await openPgStorage({ url: db.url, poolSize: 4 });
  });
  afterAll(async () => {
    await st?.close();
    await db?.drop();
  });

  it("team X's store cannot read any id of team Y, and each team has its own schema", async () => {
    const x = await seedTeam(st);
    const y = await seedTeam(st);
    const X: TeamStore = x.store;
    // Y's exact ids, asked through X's store: nothing
    expect(await X.getAccount(y.m.account)).toBeNull();
    expect(await X.getDevice(y.m.device)).toBeNull();
    expect(await X.getCode(y.code)).toBeNull();
    expect(await X.shareExists(y.share)).toBe(false);
    expect(await X.role(y.share, y.m.account)).toBeNull();
    expect(await X.memberships(y.m.account)).toEqual([]);
    expect(await X.getLog(y.share, 0)).toEqual([]);
    expect(await X.getWraps(y.share, { kind: 'account', id: y.m.account })).toEqual([]);
    expect(await X.pull(y.share, 0, 100)).toEqual({ records: [], head: 0, more: false });
    expect(await X.history(y.share, y.item)).toEqual([]);
    expect(await X.hasChunks(y.share, [y.hash], Date.now())).toEqual([false]);
    expect(await X.getChunk(y.share, y.hash)).toBeNull();
    expect(await X.getAccount(y.m.account)).toBeNull();
    expect((await X.getRoster(0)).map((e) => e.team)).toEqual([x.team, x.team]);
    expect((await X.listDevices()).map((d) => d.id)).toEqual([x.m.device]);
    // writes aimed at Y's share through X touch nothing of Y
    expect(await X.pushRecords(y.share, [record({ kind: 'account', id: x.m.account }) as never], 20)).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect((await y.store.pull(y.share, 0, 100)).records).toHaveLength(1);
    // while Y's own store sees its data
    expect(await y.store.getChunk(y.share, y.hash)).not.toBeNull();
    // physically: two team schemas, each holding only its own team's ids; the global schema only maps team → schema
    await withClient(db.url, async (c) => {
      const schemas = (await c.query("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'truhe_team_%' ORDER BY 1")).rows.map((r) => r.nspname);
      expect(schemas).toHaveLength(2);
      for (const [mine, other] of [[x, y], [y, x]] as const) {
        const schema = (await c.query('SELECT schema FROM truhe.teams WHERE id = $1', [mine.team])).rows[0].schema;
        const dump = (await c.query(`SELECT string_agg(t::text, '|') AS d FROM (SELECT a::text AS t FROM "${schema}".accounts a UNION ALL SELECT d::text FROM "${schema}".devices d UNION ALL SELECT s::text FROM "${schema}".shares s UNION ALL SELECT r::text FROM "${schema}".records r UNION ALL SELECT k::text FROM "${schema}".codes k) u`)).rows[0].d as string;
        expect(dump).toContain(mine.m.account);
        for (const id of [other.m.account, other.m.device, other.share, other.code, other.item]) expect(dump).not.toContain(id);
      }
      const globalCols = (await c.query("SELECT table_name || '.' || column_name AS c FROM information_schema.columns WHERE table_schema = 'truhe' ORDER BY 1")).rows.map((r) => r.c);
      expect(globalCols.filter((col: string) => /account|device|share|item|body|data|chunk/.test(col))).toEqual([]);
    });
  });

  it('two stores (as two instances) pushing to one share at once: seqs gap-free, none lost', async () => {
    const x = await seedTeam(st);
    const other = await openPgStorage({ url: db.url, poolSize: 4 });
    try {
      const stores = [x.store, (await other.openTeam(x.team))!];
      const me = { kind: 'account' as const, id: x.m.account };
      const outs = await Promise.all(Array.from({ length: 60 }, (_, i) => stores[i % 2]!.pushRecords(x.share, [record(me), record(me)] as never, 20)));
      const seqs = outs.flatMap((o) => (o.ok ? o.seqs : [])).sort((a, b) => a - b);
      expect(seqs).toEqual(Array.from({ length: 120 }, (_, i) => i + 2)); // seq 1 was the seeded record
      const pulled = await x.store.pull(x.share, 0, 1000);
      expect(pulled.records.map((r) => r.seq)).toEqual(Array.from({ length: 121 }, (_, i) => i + 1));
      expect(pulled.head).toBe(121);
    } finally {
      await other.close();
    }
  });
});

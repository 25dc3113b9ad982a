/**
 * The orphan-chunk sweep: a chunk no record version references (an upload whose record never
 * came: crash, cancel) is deleted once it was last uploaded or asked for (`chunk.put` /
 * `chunk.has`) longer than the grace period ago. Referenced chunks — current or in history —
 * are never touched; the quota is given back; the bytes leave the files.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTeam, createShare, randomBytes, record, sha256 } from './helpers/fixtures.js';
import { backends, startInProcess } from './helpers/relay-harness.js';

const GRACE = 60_000;

describe.each(backends)('orphan chunk sweep ($name)', (backend) => {
  let r: Awaited<ReturnType<typeof startInProcess>>;
  let now = Date.now();
  beforeAll(async () => { r = await startInProcess(backend, { clock: { now: () => now }, limits: { orphanGraceMs: GRACE, quotaBytes: 200_000 } }); });
  afterAll(async () => { await r.stop(); });

  it('deletes unreferenced chunks after the grace period; keeps referenced ones; a chunk.has refreshes', async () => {
    const { c, owner } = await createTeam(r.url);
    const log = await createShare(c, owner);
    const me = { kind: 'account' as const, id: owner.account };
    const mk = (tag: string) => Buffer.concat([Buffer.from(tag), randomBytes(40_000)]);
    const [orphan, asked, current, old] = [mk('ORPHAN-'), mk('ASKED-'), mk('CURRENT-'), mk('HISTORY-')];
    for (const ch of [orphan, asked, current, old]) expect((await c.putChunk(log.share, sha256(ch), ch)).type).toBe('ok');
    const item = randomBytes(16).toString('base64url');
    expect((await c.request({ type: 'push', share: log.share, records: [record(me, { item, kind: 'file', chunks: [sha256(old)] })] })).type).toBe('ok');
    expect((await c.request({ type: 'push', share: log.share, records: [record(me, { item, kind: 'file', version: 2, baseVersion: 1, chunks: [sha256(current)] })] })).type).toBe('ok');
    // the quota is full: 4 × 40 kB of 200 kB, a fifth chunk does not fit
    const extra = mk('EXTRA-');
    expect(await c.putChunk(log.share, sha256(extra), extra)).toMatchObject({ code: 'QUOTA_EXCEEDED' });

    now += GRACE - 1000;
    expect(await r.relay.maintenance()).toMatchObject({ orphanChunks: 0, orphanBytes: 0 });
    // a client about to push asks for `asked`: its grace starts again
    expect(await c.request({ type: 'chunk.has', share: log.share, hashes: [sha256(asked)] })).toMatchObject({ has: [true] });
    now += 2000;
    expect(await r.relay.maintenance()).toMatchObject({ orphanChunks: 1, orphanBytes: orphan.length });
    expect(await c.request({ type: 'chunk.has', share: log.share, hashes: [sha256(orphan), sha256(asked), sha256(current), sha256(old)] })).toMatchObject({ has: [false, true, true, true] });
    const raw = await backend.storedBytes(r.dir);
    expect(raw.includes(orphan.subarray(5000, 5200))).toBe(false);
    expect(raw.includes(current.subarray(5000, 5200))).toBe(true);
    // the quota was given back
    expect((await c.putChunk(log.share, sha256(extra), extra)).type).toBe('ok');
    // later: `asked` is swept too (never referenced), the history and current chunks stay
    now += GRACE + 1;
    expect(await r.relay.maintenance()).toMatchObject({ orphanChunks: 2 }); // asked + extra
    expect(await c.request({ type: 'chunk.has', share: log.share, hashes: [sha256(asked), sha256(current), sha256(old)] })).toMatchObject({ has: [false, true, true] });
    const got = await c.request({ type: 'chunk.get', share: log.share, hash: sha256(old) });
    expect(Buffer.from(got.binary).equals(old)).toBe(true);
    c.close();
  });
});

describe('a team file of the older layout (no chunks.added)', () => {
  it('is upgraded on open: the column is added (0 for existing chunks), nothing else changes', async () => {
    const Database = (await import('better-sqlite3')).default;
    const { TEAM_DDL, upgradeTeamDb } = await import('../../../sync-server/storage/sqlite/open-db.js');
    const db = new Database(':memory:');
    db.exec(TEAM_DDL.replace('data BLOB NOT NULL, added INTEGER NOT NULL DEFAULT 0,', 'data BLOB NOT NULL,'));
    db.prepare('INSERT INTO chunks VALUES (?,?,?)').run('s', 'h', Buffer.from('x'));
    const cols = () => (db.prepare('PRAGMA table_info(chunks)').all() as { name: string }[]).map((c) => c.name);
    expect(cols()).not.toContain('added');
    upgradeTeamDb(db);
    upgradeTeamDb(db); // idempotent
    expect(cols()).toContain('added');
    expect(db.prepare('SELECT share, hash, added FROM chunks').all()).toEqual([{ share: 's', hash: 'h', added: 0 }]);
    db.close();
  });
});

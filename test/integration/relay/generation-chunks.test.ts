/**
 * Issue 14, relay side, on every storage backend:
 *   - every share head the relay serves (pull answers, `changed` notices) carries the generation
 *     of its data; SQLite: it survives a reopen and `truhe-relay restore` makes a new one
 *     (DESIGN.md §9);
 *   - a push referencing a chunk the relay does not hold is refused as a whole with CHUNK_MISSING
 *     (nothing stored), and accepted once the chunk is uploaded;
 *   - an orphan sweep with grace 0 after a clock jump of ten days leaves every chunk of every
 *     committed record readable (only the never-referenced upload goes, and a push that then
 *     references it is refused, not committed broken).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupDataDir, restoreDataDir } from '../../../sync-server/backup.js';
import { connectDevice, createShare, createTeam, randomBytes, record, sha256 } from './helpers/fixtures.js';
import { backends, startInProcess, tempDir } from './helpers/relay-harness.js';
import { newBackupKeyPair, parsePublicKey, parseSecretKey } from '../../../sync-server/backup-crypto.js';

/** The operator key the backups of this test are encrypted to. */
const BACKUP_KEYS = newBackupKeyPair();

const DAY = 24 * 3600 * 1000;

describe.each(backends)('relay generation and chunk references ($name)', (backend) => {
  let r: Awaited<ReturnType<typeof startInProcess>>;
  let now = Date.now();
  beforeAll(async () => { r = await startInProcess(backend, { clock: { now: () => now }, limits: { orphanGraceMs: 0 } }); });
  afterAll(async () => { await r.stop(); });

  it('pull answers and changed notices carry one generation id', async () => {
    const { c, team, owner } = await createTeam(r.url);
    const log = await createShare(c, owner);
    const other = await connectDevice(r.url, team, owner);
    const me = { kind: 'account' as const, id: owner.account };
    expect((await c.request({ type: 'push', share: log.share, records: [record(me)] })).type).toBe('ok');
    const notice = await other.c.next((m) => m.type === 'changed');
    const pulled = await c.request({ type: 'pull', share: log.share, since: 0 });
    expect(notice.generation).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(pulled.generation).toBe(notice.generation);
    expect(await r.storage.generation!()).toBe(notice.generation);
    c.close();
    other.c.close();
  });

  it('refuses a push that references a chunk it does not hold; stores nothing; accepts it after the upload', async () => {
    const { c, owner } = await createTeam(r.url);
    const log = await createShare(c, owner);
    const me = { kind: 'account' as const, id: owner.account };
    const held = randomBytes(5000);
    const missing = randomBytes(5000);
    expect((await c.putChunk(log.share, sha256(held), held)).type).toBe('ok');
    const file = record(me, { kind: 'file', chunks: [sha256(held), sha256(missing)] });
    const refused = await c.request({ type: 'push', share: log.share, records: [record(me), file] });
    expect(refused).toMatchObject({ type: 'error', code: 'CHUNK_MISSING' });
    expect(await c.request({ type: 'pull', share: log.share, since: 0 })).toMatchObject({ records: [], head: 0 });
    expect((await c.putChunk(log.share, sha256(missing), missing)).type).toBe('ok');
    expect(await c.request({ type: 'push', share: log.share, records: [file] })).toMatchObject({ type: 'ok', seqs: [1] });
    c.close();
  });

  it('a sweep with grace 0 after a clock jump leaves every committed file readable', async () => {
    const { c, owner } = await createTeam(r.url);
    const log = await createShare(c, owner);
    const me = { kind: 'account' as const, id: owner.account };
    const files = Array.from({ length: 6 }, () => [randomBytes(3000), randomBytes(3000)]);
    for (const chunks of files) {
      for (const ch of chunks) expect((await c.putChunk(log.share, sha256(ch), ch)).type).toBe('ok');
      const rec = record(me, { kind: 'file', chunks: chunks.map(sha256) });
      expect((await c.request({ type: 'push', share: log.share, records: [rec] })).type).toBe('ok');
    }
    const pending = randomBytes(3000); // uploaded; its record is not pushed yet
    expect((await c.putChunk(log.share, sha256(pending), pending)).type).toBe('ok');
    now += 10 * DAY; // the clock jumps
    expect(await r.relay.maintenance()).toMatchObject({ orphanChunks: 1, orphanBytes: pending.length });
    for (const chunks of files) {
      for (const ch of chunks) {
        const got = await c.request({ type: 'chunk.get', share: log.share, hash: sha256(ch) });
        expect(Buffer.from(got.binary).equals(ch)).toBe(true);
      }
    }
    // The late push is refused (the client uploads again and retries), never committed broken.
    const late = record(me, { kind: 'file', chunks: [sha256(pending)] });
    expect(await c.request({ type: 'push', share: log.share, records: [late] })).toMatchObject({ type: 'error', code: 'CHUNK_MISSING' });
    expect((await c.putChunk(log.share, sha256(pending), pending)).type).toBe('ok');
    expect((await c.request({ type: 'push', share: log.share, records: [late] })).type).toBe('ok');
    c.close();
  });
});

describe('generation of a SQLite data directory', () => {
  it('survives a reopen; a restore from backup starts a new one and serves the same records', async () => {
    const r = await startInProcess(backends[0]!);
    const { c, owner } = await createTeam(r.url);
    const log = await createShare(c, owner);
    const me = { kind: 'account' as const, id: owner.account };
    expect((await c.request({ type: 'push', share: log.share, records: [record(me), record(me)] })).type).toBe('ok');
    const before = (await c.request({ type: 'pull', share: log.share, since: 0 }));
    c.close();
    await r.stop(true);
    const again = await startInProcess(backends[0]!, {}, r.dir);
    expect(await again.storage.generation!()).toBe(before.generation);
    const out = join(tempDir('bak'), 'snap');
    await backupDataDir(r.dir, out, parsePublicKey(BACKUP_KEYS.publicText));
    await again.stop();
    const dir = tempDir('restored');
    restoreDataDir(out, dir, false, parseSecretKey(BACKUP_KEYS.secretText));
    const restored = await startInProcess(backends[0]!, {}, dir);
    const gen = await restored.storage.generation!();
    expect(gen).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(gen).not.toBe(before.generation);
    const { c: c2, first } = await connectDevice(restored.url, (await restored.storage.listTeams())[0]!, owner);
    expect(first.type).toBe('welcome');
    const after = await c2.request({ type: 'pull', share: log.share, since: 0 });
    expect(after).toMatchObject({ head: 2, generation: gen });
    expect(after.records).toEqual(before.records);
    c2.close();
    await restored.stop();
  });
});

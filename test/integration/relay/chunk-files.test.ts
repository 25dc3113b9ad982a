/**
 * Chunk bytes in files beside the team database (sync-server/storage/sqlite/chunk-files.ts),
 * on real SQLite files and a real directory: where the bytes are, that deletion shreds them at
 * once, and what a crash at each step leaves (nothing readable, nothing lost, nothing counted twice).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sha256b64url } from '../../../sync-server/crypto.js';
import { chunkDirOf, INLINE_CHUNK_MAX } from '../../../sync-server/storage/sqlite/chunk-files.js';
import { TeamPool } from '../../../sync-server/storage/sqlite/team-pool.js';
import { StorageFault } from '../../../sync-server/storage/storage-fault.js';
import { backupDataDir, restoreDataDir } from '../../../sync-server/backup.js';
import { newBackupKeyPair, parsePublicKey, parseSecretKey } from '../../../sync-server/backup-crypto.js';
import { GLOBAL_DDL, openDb } from '../../../sync-server/storage/sqlite/open-db.js';
import { dataBytes, dataFiles } from './helpers/data-dir.js';
import { tempDir } from './helpers/relay-harness.js';

const dirs: string[] = [];
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

const FILE = 'team-00112233445566778899aabbccddeeff.sqlite';
const SHARE = 'c2hhcmUtb25lLWlkLTAx';
const QUOTA = 1 << 30;

function open(dir?: string) {
  const d = dir ?? tempDir('chunkfiles');
  if (!dir) dirs.push(d);
  const pool = new TeamPool({ dir: d, maxOpen: 4, recheckMs: 1e9, monotonic: () => performance.now() });
  const store = pool.store('T', FILE, true);
  return { dir: d, pool, store, chunkDir: chunkDirOf(join(d, FILE)) };
}
function chunk(n = 300_000) {
  const bytes = randomBytes(n);
  return { bytes: new Uint8Array(bytes), hash: sha256b64url(bytes) };
}
const hex = (b64url: string) => Buffer.from(b64url, 'base64url').toString('hex');
const filesIn = (d: string) => (existsSync(d) ? dataFiles(d) : []);
const dbBytes = (dir: string) => dataBytes(dir, (f) => !f.includes('.chunks'));

describe('chunk files (SQLite backend)', () => {
  it('stores the bytes in one file, not in the database, and serves them back', async () => {
    const { dir, store, chunkDir, pool } = open();
    const c = chunk();
    expect(await store.putChunk(SHARE, c.hash, c.bytes, QUOTA, 1)).toBe('stored');
    const files = filesIn(chunkDir);
    expect(files).toHaveLength(1);
    expect(files[0]).toContain(join(hex(SHARE), hex(c.hash) + '.'));
    expect(Buffer.compare(readFileSync(files[0]!), c.bytes)).toBe(0);
    expect(dbBytes(dir).includes(Buffer.from(c.bytes.subarray(1000, 1064)))).toBe(false);
    expect(Buffer.from((await store.getChunk(SHARE, c.hash))!).equals(Buffer.from(c.bytes))).toBe(true);
    expect(await store.usageBytes()).toBe(c.bytes.length);
    // the same chunk again: touched, not written twice, not counted twice
    expect(await store.putChunk(SHARE, c.hash, c.bytes, QUOTA, 2)).toBe('exists');
    expect(filesIn(chunkDir)).toHaveLength(1);
    expect(await store.usageBytes()).toBe(c.bytes.length);
    pool.closeAll();
  });

  it('a small chunk stays in its row: a team sending tiny chunks makes no files, so its disk use stays what its quota counts', async () => {
    const { dir, store, chunkDir, pool } = open();
    const tiny = Array.from({ length: 200 }, () => chunk(100));
    const quota = 200 * 100;
    expect(await Promise.all(tiny.map((c) => store.putChunk(SHARE, c.hash, c.bytes, quota, 1)))).toEqual(tiny.map(() => 'stored'));
    expect(filesIn(chunkDir)).toEqual([]);
    expect(await store.usageBytes()).toBe(quota);
    expect(await store.putChunk(SHARE, chunk(100).hash, chunk(100).bytes, quota, 1)).toBe('quota');
    for (const c of tiny.slice(0, 3)) expect(Buffer.from((await store.getChunk(SHARE, c.hash))!).equals(Buffer.from(c.bytes))).toBe(true);
    // the boundary: INLINE_CHUNK_MAX bytes stay in the row, one byte more goes to a file
    const atMax = chunk(INLINE_CHUNK_MAX);
    const over = chunk(INLINE_CHUNK_MAX + 1);
    expect(await store.putChunk(SHARE, atMax.hash, atMax.bytes, QUOTA, 1)).toBe('stored');
    expect(filesIn(chunkDir)).toEqual([]);
    expect(await store.putChunk(SHARE, over.hash, over.bytes, QUOTA, 1)).toBe('stored');
    expect(filesIn(chunkDir)).toHaveLength(1);
    expect(Buffer.compare(readFileSync(filesIn(chunkDir)[0]!), over.bytes)).toBe(0);
    expect(Buffer.from((await store.getChunk(SHARE, atMax.hash))!).equals(Buffer.from(atMax.bytes))).toBe(true);
    // deleted (orphans past the grace period): no byte of an inline chunk is left in the database files
    expect((await store.purgeOrphanChunks(Date.now())).chunks).toBe(202);
    expect(dbBytes(dir).includes(Buffer.from(atMax.bytes.subarray(1000, 1064)))).toBe(false);
    expect(filesIn(chunkDir)).toEqual([]);
    pool.closeAll();
  });

  it('two shares whose ids differ only in letter case get two directories, also on a case-insensitive file system', async () => {
    const { store, chunkDir, pool } = open();
    const upper = 'C2hhcmUtb25lLWlkLTAx';
    const [x, y] = [chunk(), chunk()];
    await store.putChunk(SHARE, x.hash, x.bytes, QUOTA, Date.now());
    await store.putChunk(upper, y.hash, y.bytes, QUOTA, Date.now());
    const names = readdirSync(chunkDir);
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(2);
    for (const f of filesIn(chunkDir)) expect(f.slice(chunkDir.length)).toBe(f.slice(chunkDir.length).toLowerCase());
    await store.purgeOrphanChunks(Date.now() + 3_600_000); // sweeps both rows (unreferenced), each file with its own row
    expect(filesIn(chunkDir)).toEqual([]);
    pool.closeAll();
  });

  it('two uploads of the same chunk at once: one row, one file, counted once', async () => {
    const { store, chunkDir, pool } = open();
    const c = chunk();
    const outs = await Promise.all([1, 2, 3].map(() => store.putChunk(SHARE, c.hash, c.bytes, QUOTA, 1)));
    expect(outs.sort()).toEqual(['exists', 'exists', 'stored']);
    await new Promise((r) => setTimeout(r, 50)); // the losers' files are shredded after their answer
    expect(filesIn(chunkDir)).toHaveLength(1);
    expect(await store.usageBytes()).toBe(c.bytes.length);
    pool.closeAll();
  });

  it('concurrent uploads never exceed the quota: the ones that do not fit are refused and leave no file', async () => {
    const { store, chunkDir, pool } = open();
    const cs = [chunk(), chunk(), chunk(), chunk()];
    const outs = await Promise.all(cs.map((c) => store.putChunk(SHARE, c.hash, c.bytes, 2 * 300_000, 1)));
    expect(outs.filter((o) => o === 'stored')).toHaveLength(2);
    expect(outs.filter((o) => o === 'quota')).toHaveLength(2);
    await new Promise((r) => setTimeout(r, 50));
    expect(filesIn(chunkDir)).toHaveLength(2);
    expect(await store.usageBytes()).toBe(600_000);
    // a team at its quota: refused before anything is written (not even the share's directory)
    const other = chunk();
    expect(await store.putChunk('b3RoZXItc2hhcmU', other.hash, other.bytes, 600_000, 1)).toBe('quota');
    expect(existsSync(join(chunkDir, hex('b3RoZXItc2hhcmU')))).toBe(false);
    pool.closeAll();
  });

  it('deleting a share shreds its chunk files at once and removes its directory', async () => {
    const { dir, store, chunkDir, pool } = open();
    const cs = [chunk(), chunk()];
    for (const c of cs) await store.putChunk(SHARE, c.hash, c.bytes, QUOTA, 1);
    await store.deleteShare(SHARE);
    expect(filesIn(chunkDir)).toEqual([]);
    expect(existsSync(join(chunkDir, hex(SHARE)))).toBe(false);
    const all = dataBytes(dir);
    for (const c of cs) expect(all.includes(Buffer.from(c.bytes.subarray(5000, 5064)))).toBe(false);
    expect(await store.usageBytes()).toBe(0);
    pool.closeAll();
  });

  it('a crash after the delete committed but before the file was shredded: the next open shreds it', async () => {
    const { dir, store, chunkDir, pool } = open();
    const c = chunk();
    await store.putChunk(SHARE, c.hash, c.bytes, QUOTA, 1);
    // the row goes in a committed transaction (the trigger queues its file); the process dies before the drain
    store.db.prepare('DELETE FROM chunks WHERE share = ?').run(SHARE);
    expect(store.db.prepare('SELECT count(*) FROM chunk_files_gone').pluck().get()).toBe(1);
    expect(filesIn(chunkDir)).toHaveLength(1);
    pool.closeAll();
    const again = open(dir);
    await again.store.files.drain(again.store.db); // the drain that opening started, awaited
    expect(filesIn(chunkDir)).toEqual([]);
    expect(again.store.db.prepare('SELECT count(*) FROM chunk_files_gone').pluck().get()).toBe(0);
    again.pool.closeAll();
  });

  it('a crash between a file\'s write and its row: the orphan sweep shreds the file once it is older than the grace period', async () => {
    const { store, chunkDir, pool } = open();
    const kept = chunk();
    await store.putChunk(SHARE, kept.hash, kept.bytes, QUOTA, Date.now());
    const lost = chunk();
    const stray = join(chunkDir, hex(SHARE), `${hex(lost.hash)}.0123456789ab`);
    writeFileSync(stray, lost.bytes);
    // younger than the grace period: could be an upload in flight, kept
    await store.purgeOrphanChunks(Date.now() - 60_000);
    expect(existsSync(stray)).toBe(true);
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(stray, hourAgo, hourAgo);
    utimesSync(filesIn(chunkDir).find((f) => f !== stray)!, hourAgo, hourAgo); // old, but its row names it
    // the committed chunk is referenced by nothing, but was uploaded after `before`: it stays
    const out = await store.purgeOrphanChunks(Date.now() - 60_000);
    expect(out.chunks).toBe(0);
    expect(existsSync(stray)).toBe(false);
    expect(filesIn(chunkDir)).toHaveLength(1);
    expect(Buffer.from((await store.getChunk(SHARE, kept.hash))!).equals(Buffer.from(kept.bytes))).toBe(true);
    expect(await store.usageBytes()).toBe(kept.bytes.length);
    pool.closeAll();
  });

  it('a chunk file lost from the disk is reported as damage (STORAGE_UNAVAILABLE), not as "no such chunk"', async () => {
    const { store, chunkDir, pool } = open();
    const c = chunk();
    await store.putChunk(SHARE, c.hash, c.bytes, QUOTA, 1);
    rmSync(filesIn(chunkDir)[0]!);
    const e = await store.getChunk(SHARE, c.hash).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(StorageFault);
    expect((e as StorageFault).code).toBe('STORAGE_UNAVAILABLE');
    expect(await store.getChunk(SHARE, 'bm90LWEtaGFzaA')).toBeNull();
    pool.closeAll();
  });

  it('a chunk stored inline by an older relay is still served and deleted', async () => {
    const { dir, store, pool } = open();
    const c = chunk();
    store.db.prepare('INSERT INTO chunks (share, hash, data, added) VALUES (?,?,?,1)').run(SHARE, c.hash, Buffer.from(c.bytes));
    expect(Buffer.from((await store.getChunk(SHARE, c.hash))!).equals(Buffer.from(c.bytes))).toBe(true);
    expect((await store.purgeOrphanChunks(Date.now())).bytes).toBe(c.bytes.length);
    expect(await store.getChunk(SHARE, c.hash)).toBeNull();
    expect(dbBytes(dir).includes(Buffer.from(c.bytes.subarray(1000, 1064)))).toBe(false);
    pool.closeAll();
  });

  it('a backup holds each chunk inline; restored, the relay serves it; a file lost on the live relay fails the backup', async () => {
    const { dir, store, pool } = open();
    // a minimal global.sqlite naming the team, as the storage keeps it
    const g = openDb(join(dir, 'global.sqlite'), GLOBAL_DDL);
    g.prepare('INSERT INTO teams VALUES (?, ?, 0)').run('T', FILE);
    g.close();
    const cs = [chunk(), chunk()];
    for (const c of cs) await store.putChunk(SHARE, c.hash, c.bytes, QUOTA, 1);
    const keys = newBackupKeyPair();
    const pub = parsePublicKey(keys.publicText);
    const sec = parseSecretKey(keys.secretText);
    const out = tempDir('chunkfiles-bak');
    dirs.push(out);
    await backupDataDir(dir, out, pub);
    expect(readdirSync(out).sort()).toEqual(['global.sqlite.enc', 'manifest.json', `${FILE}.enc`]);
    const restored = tempDir('chunkfiles-restored');
    dirs.push(restored);
    restoreDataDir(out, restored, false, sec);
    const back = open(restored);
    for (const c of cs) expect(Buffer.from((await back.store.getChunk(SHARE, c.hash))!).equals(Buffer.from(c.bytes))).toBe(true);
    expect(await back.store.usageBytes()).toBe(600_000);
    back.pool.closeAll();

    rmSync(filesIn(chunkDirOf(join(dir, FILE)))[0]!);
    const out2 = tempDir('chunkfiles-bak2');
    dirs.push(out2);
    await expect(backupDataDir(dir, out2, pub)).rejects.toThrow(/is missing; the team's data is damaged/);
    expect(existsSync(join(out2, 'manifest.json'))).toBe(false);
    pool.closeAll();
  });
});

/**
 * Chunk bytes of one team as files beside its database (`team-<hex>.chunks/<share>/<name>`;
 * share id and chunk hash in hex, like the team file's name, so a case-insensitive file system
 * never folds two of them into one),
 * the rows staying in `chunks` (share, hash, file name, size); a small chunk (≤ INLINE_CHUNK_MAX)
 * stays in its row. A 1 MiB chunk in SQLite cost
 * ~257 WAL frames and a second copy at the checkpoint, written on the relay's only thread; a file
 * is one write and one fdatasync in libuv's thread pool, several chunks at once (relay ceiling in
 * `npm run bench`'s upload section).
 *
 * Durability and crash safety:
 *   - a file gets a fresh name (`<hash hex>.<random>`) and is never rewritten: fdatasync'ed and its
 *     directory fsync'ed BEFORE its row commits, so a committed row never points at missing or
 *     partial bytes; a crash before the commit leaves a file no row names (swept by `sweep`);
 *   - deleting a row (any statement: item versions, orphan sweep, share deletion) queues its file
 *     in `chunk_files_gone` by trigger, in the same transaction; `drain` overwrites each queued
 *     file with zeros, fdatasyncs and unlinks it (R5: the ciphertext leaves the disk at once, as
 *     SQLite's secure_delete does for a row), then removes it from the queue; a crash in between
 *     is finished at the next drain (every open of the team runs one).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rmdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { q, type Db } from './open-db.js';

/** A file's name: its chunk's hash in hex, a dot, 6 random bytes in hex. */
const FILE_NAME = /^((?:[0-9a-f]{2}){1,64})\.[0-9a-f]{12}$/;
const HEX_DIR = /^(?:[0-9a-f]{2}){1,64}$/;

/** A base64url id (share id, chunk hash) as the hex a path holds; anything but canonical base64url never becomes a path. */
function hexOf(id: string, what: string): string {
  const hex = Buffer.from(id, 'base64url').toString('hex');
  if (!id || id.length > 86 || Buffer.from(hex, 'hex').toString('base64url') !== id) throw new RangeError(`chunk files: not a ${what}`);
  return hex;
}
const idOf = (hex: string) => Buffer.from(hex, 'hex').toString('base64url');

/**
 * Chunks up to this size keep their bytes in the row, as before files. A file costs an inode, a
 * whole disk block and two fsyncs whatever its size: 1-byte chunks in files would let one team
 * fill the relay's disk and inodes thousands of times past its byte quota. Above this size a
 * file's block rounding adds at most 1/8 to what the quota counts.
 */
export const INLINE_CHUNK_MAX = 32 * 1024;

/** Files overwritten at once while draining (a deleted 1 GiB file is ~1 000 of them). */
const SHRED_PARALLEL = 4;
/** Zeros to overwrite a file with (only ever read; grown to the largest file seen). */
let zeros = Buffer.alloc(0);

const errno = (e: unknown) => (e as { code?: unknown } | null)?.code;

/** The chunk directory of a team file (`team-<hex>.sqlite` → `team-<hex>.chunks`). */
export function chunkDirOf(teamFilePath: string): string {
  return teamFilePath.replace(/\.sqlite$/, '') + '.chunks';
}

async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

export class ChunkFiles {
  /** Share directories known to exist (and fsync'ed into their parent). */
  private readonly made = new Set<string>();
  private draining: Promise<void> = Promise.resolve();
  constructor(readonly dir: string) {}

  private shareDir(share: string): string {
    return join(this.dir, hexOf(share, 'share id'));
  }
  path(share: string, file: string): string {
    if (!FILE_NAME.test(file)) throw new RangeError('chunk files: not a chunk file name');
    return join(this.shareDir(share), file);
  }

  /** A fresh file name for a chunk (never used before, so a file is never rewritten). */
  static newName(hash: string): string {
    return `${hexOf(hash, 'chunk hash')}.${randomBytes(6).toString('hex')}`;
  }

  /** Writes the bytes durably as `file` (a newName); the caller commits the row after. */
  async write(share: string, file: string, bytes: Uint8Array): Promise<void> {
    const p = this.path(share, file);
    const dir = this.shareDir(share);
    if (!this.made.has(dir)) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await fsyncDir(this.dir);
      await fsyncDir(join(this.dir, '..'));
      this.made.add(dir);
    }
    const fh = await open(p, 'wx', 0o600);
    try {
      await fh.writeFile(bytes);
      await fh.datasync();
    } catch (e) {
      await fh.close().catch(() => undefined);
      await unlink(p).catch(() => undefined);
      throw e;
    }
    await fh.close();
    await fsyncDir(dir);
  }

  /** The bytes of a committed row's file; null if it is gone (the row was deleted meanwhile, or the file lost). */
  async read(share: string, file: string): Promise<Uint8Array | null> {
    try {
      const b = await readFile(this.path(share, file));
      return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    } catch (e) {
      if (errno(e) === 'ENOENT') return null;
      throw e;
    }
  }

  /** Overwrites a file with zeros, makes that durable, unlinks it. A file already gone is fine. */
  async shred(share: string, file: string): Promise<void> {
    const p = this.path(share, file);
    let fh;
    try {
      fh = await open(p, 'r+');
    } catch (e) {
      if (errno(e) === 'ENOENT') return;
      throw e;
    }
    try {
      const { size } = await fh.stat();
      if (zeros.length < size) zeros = Buffer.alloc(size);
      if (size > 0) await fh.write(zeros, 0, size, 0);
      await fh.datasync();
    } finally {
      await fh.close();
    }
    await unlink(p);
  }

  /**
   * Shreds every file queued in `chunk_files_gone`, then removes it from the queue. Runs one at
   * a time per team. A file that cannot be
   * removed now (I/O error) stays queued for the next drain; the caller's request still succeeds
   * (its rows are gone; only the unlink is late).
   */
  drain(db: Db): Promise<void> {
    const run = async () => {
      const list = q(db, 'SELECT rowid AS id, share, file FROM chunk_files_gone ORDER BY rowid LIMIT 256');
      const done = q(db, 'DELETE FROM chunk_files_gone WHERE rowid = ?');
      for (;;) {
        const rows = list.all() as { id: number; share: string; file: string }[];
        if (!rows.length) return;
        const shredded: number[] = [];
        let next = 0;
        const worker = async () => {
          while (next < rows.length) {
            const r = rows[next++]!;
            try {
              await this.shred(r.share, r.file);
              shredded.push(r.id);
            } catch { /* stays queued */ }
          }
        };
        await Promise.all(Array.from({ length: SHRED_PARALLEL }, worker));
        if (shredded.length) db.transaction(() => { for (const id of shredded) done.run(id); })();
        if (shredded.length < rows.length) return;
      }
    };
    this.draining = this.draining.then(run, run);
    return this.draining;
  }

  /** After a share's deletion and drain: its directory goes too, so not even its id stays on disk (best effort). */
  async removeShareDir(share: string): Promise<void> {
    const dir = this.shareDir(share);
    this.made.delete(dir);
    await rmdir(dir).catch(() => undefined);
  }

  /**
   * Shreds files no row names that were last modified before `before` (unix ms): left by a crash
   * between a file's write and its row's commit. `writing`: names being written now (never swept).
   */
  async sweep(db: Db, before: number, writing: ReadonlySet<string>): Promise<number> {
    let dirs: string[];
    try {
      dirs = await readdir(this.dir);
    } catch (e) {
      if (errno(e) === 'ENOENT') return 0;
      throw e;
    }
    const named = q(db, 'SELECT 1 FROM chunks WHERE share = ? AND hash = ? AND file = ?');
    let n = 0;
    for (const dir of dirs.filter((d) => HEX_DIR.test(d))) {
      const share = idOf(dir);
      const files = await readdir(join(this.dir, dir)).catch((e: unknown) => {
        if (errno(e) === 'ENOENT') return [] as string[]; // the share was deleted meanwhile
        throw e;
      });
      for (const file of files) {
        const m = FILE_NAME.exec(file);
        if (!m || writing.has(file) || named.get(share, idOf(m[1]!), file)) continue;
        const p = join(this.dir, dir, file);
        const st = await stat(p).catch(() => null);
        if (!st || st.mtimeMs >= before) continue;
        await this.shred(share, file);
        n++;
      }
    }
    return n;
  }
}

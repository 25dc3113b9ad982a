/**
 * backup: a consistent snapshot of every SQLite file of the data dir while the relay writes
 * (SQLite online backup API, one file at a time; each file is consistent on its own), made
 * private before it leaves the relay (R13, R5):
 *   - global.sqlite loses its failed-login rows (keyed by address HMACs) and the relay secret
 *     that keys those HMACs: a backup holds no address-derived data and no key to make any;
 *     a restored relay makes a new secret on first start;
 *   - every file is encrypted to the operator's public key (backup-crypto.ts), so no copy is
 *     readable without the secret key kept off the relay host.
 * The snapshot is written into a private staging dir inside `outDir` and removed file by file;
 * `manifest.json` is written last: a backup without it is incomplete and restore refuses it.
 * Any failure throws (the CLI exits non-zero) and leaves no manifest.
 * restore: decrypts (or, for format 1 snapshots, copies) a snapshot into an empty data dir.
 */
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import Database from 'better-sqlite3';
import { decryptFile, encryptFile } from './backup-crypto.js';
import { GLOBAL_FILE } from './storage/sqlite/index.js';
import { ChunkFiles, chunkDirOf } from './storage/sqlite/chunk-files.js';

const isDbFile = (n: string) => n === GLOBAL_FILE || /^team-[0-9a-f]{32}\.sqlite$/.test(n);
const ENC = '.enc';
export interface BackupManifest {
  format: 'truhe-relay-backup/1' | 'truhe-relay-backup/2';
  created: string;
  /** Format 2: every file is `<name>.enc`, encrypted to the operator key; bytes and sha256 are of that file. */
  encryption?: 'x25519-hkdf-chacha20poly1305-stream';
  files: { name: string; bytes: number; sha256: string }[];
}

const sha256File = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');

/** Removes what the backup must not hold from a copy of global.sqlite (rows, then free pages). */
function scrubGlobal(file: string): void {
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma('secure_delete = ON');
    db.exec('DELETE FROM auth_failures; DELETE FROM secrets;');
    db.exec('VACUUM');
  } finally {
    db.close();
  }
}

/**
 * Puts the bytes of every chunk kept in a file (chunk-files.ts) into its row of the snapshot, so
 * a team's backup is its one database file. Chunk files are never rewritten, so a file read after
 * the snapshot holds the bytes the snapshot's row names. A file gone by then whose row the live
 * database no longer has was deleted after the snapshot: its row leaves the snapshot too (R5:
 * deleted data stays out of backups). A file gone while the live row still names it is damage:
 * the backup fails.
 */
function inlineChunkFiles(staged: string, live: string): void {
  const chunkDir = chunkDirOf(live);
  const db = new Database(staged, { fileMustExist: true });
  try {
    if (!(db.prepare('PRAGMA table_info(chunks)').all() as { name: string }[]).some((c) => c.name === 'file')) return;
    const files = new ChunkFiles(chunkDir);
    const rows = db.prepare('SELECT share, hash, file, size FROM chunks WHERE file IS NOT NULL').all() as { share: string; hash: string; file: string; size: number }[];
    const inline = db.prepare('UPDATE chunks SET data = ?, file = NULL, size = NULL WHERE share = ? AND hash = ?');
    const drop = db.prepare('DELETE FROM chunks WHERE share = ? AND hash = ?');
    const unuse = db.prepare("UPDATE meta SET v = v - ? WHERE k = 'usage'");
    db.transaction(() => {
      for (const r of rows) {
        let bytes: Buffer | null = null;
        try {
          bytes = readFileSync(files.path(r.share, r.file));
        } catch (e) {
          if ((e as { code?: unknown }).code !== 'ENOENT') throw e;
        }
        if (bytes) inline.run(bytes, r.share, r.hash);
        else if (liveNames(live, r.share, r.file)) throw new Error(`backup: chunk file ${r.share}/${r.file} of ${basename(live)} is missing; the team's data is damaged`);
        else {
          drop.run(r.share, r.hash);
          unuse.run(r.size);
        }
      }
      db.exec('DELETE FROM chunk_files_gone'); // names of the live relay's files, nothing in this copy
    })();
  } finally {
    db.close();
  }
}

/** Whether the live team database still has a row naming this chunk file. */
function liveNames(live: string, share: string, file: string): boolean {
  const db = new Database(live, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    return db.prepare('SELECT 1 FROM chunks WHERE share = ? AND file = ?').get(share, file) !== undefined;
  } finally {
    db.close();
  }
}

/** `recipient`: the operator's 32-byte X25519 public key (parsePublicKey of its key file). */
export async function backupDataDir(dataDir: string, outDir: string, recipient: Buffer): Promise<BackupManifest> {
  mkdirSync(outDir, { recursive: true, mode: 0o700 });
  if (readdirSync(outDir).length > 0) throw new Error('backup: output directory is not empty');
  const names = readdirSync(dataDir).filter(isDbFile).sort((a, b) => (a === GLOBAL_FILE ? -1 : b === GLOBAL_FILE ? 1 : a.localeCompare(b)));
  if (!names.includes(GLOBAL_FILE)) throw new Error(`backup: ${dataDir} holds no relay data (no ${GLOBAL_FILE})`);
  const stage = mkdtempSync(join(outDir, '.staging-'));
  const files: BackupManifest['files'] = [];
  try {
    for (const name of names) {
      const db = new Database(join(dataDir, name), { fileMustExist: true });
      try {
        db.pragma('busy_timeout = 5000');
        await db.backup(join(stage, name));
      } finally {
        db.close();
      }
      if (name === GLOBAL_FILE) scrubGlobal(join(stage, name));
      else inlineChunkFiles(join(stage, name), join(dataDir, name));
      const enc = join(outDir, name + ENC);
      encryptFile(join(stage, name), enc, name, recipient);
      rmSync(join(stage, name));
      files.push({ name, bytes: readFileSync(enc).length, sha256: sha256File(enc) });
    }
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
  const manifest: BackupManifest = { format: 'truhe-relay-backup/2', created: new Date().toISOString(), encryption: 'x25519-hkdf-chacha20poly1305-stream', files };
  writeFileSync(join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n', { mode: 0o600 });
  return manifest;
}

/**
 * A restored relay starts a new generation (DESIGN.md §9): clients that saw sequence numbers of
 * the lost history notice, upload again what the relay lacks, and pull from the start.
 */
function newGeneration(global: Database.Database): void {
  global.exec('CREATE TABLE IF NOT EXISTS secrets (k TEXT PRIMARY KEY, v BLOB NOT NULL)');
  global.prepare("INSERT OR REPLACE INTO secrets VALUES ('generation', ?)").run(randomBytes(16));
}

/**
 * Restores a snapshot into an empty data dir (`force`: a non-empty one): every file checked
 * against the manifest, decrypted with the operator's secret key (format 2), quick_check'ed.
 */
export function restoreDataDir(fromDir: string, dataDir: string, force = false, secret?: Buffer): BackupManifest {
  const manifest = JSON.parse(readFileSync(join(fromDir, 'manifest.json'), 'utf8')) as BackupManifest;
  const encrypted = manifest.format === 'truhe-relay-backup/2';
  if (!encrypted && manifest.format !== 'truhe-relay-backup/1') throw new Error('restore: not a truhe relay backup');
  if (encrypted && !secret) throw new Error('restore: this backup is encrypted; give --key with the operator secret key file');
  mkdirSync(dataDir, { recursive: true });
  if (!force && readdirSync(dataDir).some(isDbFile)) throw new Error('restore: data directory is not empty (use --force)');
  for (const f of manifest.files) {
    if (!isDbFile(f.name)) throw new Error('restore: unexpected file in manifest');
    const src = join(fromDir, encrypted ? f.name + ENC : f.name);
    if (sha256File(src) !== f.sha256) throw new Error(`restore: ${f.name} does not match the manifest`);
    for (const ext of ['-wal', '-shm']) if (existsSync(join(dataDir, f.name + ext))) throw new Error('restore: stale WAL in data directory');
    const dest = join(dataDir, f.name);
    rmSync(dest, { force: true });
    if (f.name !== GLOBAL_FILE) rmSync(chunkDirOf(dest), { recursive: true, force: true }); // the snapshot holds its chunks inline
    if (encrypted) decryptFile(src, dest, f.name, secret!);
    else copyFileSync(src, dest);
    const db = new Database(dest, { fileMustExist: true });
    try {
      const ok = db.pragma('quick_check', { simple: true });
      if (ok !== 'ok') throw new Error(`restore: ${f.name} failed quick_check`);
      if (f.name === GLOBAL_FILE) newGeneration(db);
    } finally {
      db.close();
    }
  }
  return manifest;
}

/**
 * backup: a consistent snapshot of every SQLite file of the data dir while the relay writes
 * (SQLite online backup API, one file at a time; each file is consistent on its own, and the
 * snapshot is ciphertext already). restore: copies a snapshot into an empty data dir.
 */
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { GLOBAL_FILE } from './storage/sqlite/index.js';

const isDbFile = (n: string) => n === GLOBAL_FILE || /^team-[0-9a-f]{32}\.sqlite$/.test(n);
export interface BackupManifest {
  format: 'truhe-relay-backup/1';
  created: string;
  files: { name: string; bytes: number; sha256: string }[];
}

export async function backupDataDir(dataDir: string, outDir: string): Promise<BackupManifest> {
  mkdirSync(outDir, { recursive: true });
  if (readdirSync(outDir).some(isDbFile)) throw new Error('backup: output directory already holds a backup');
  const names = readdirSync(dataDir).filter(isDbFile).sort((a, b) => (a === GLOBAL_FILE ? -1 : b === GLOBAL_FILE ? 1 : a.localeCompare(b)));
  const files: BackupManifest['files'] = [];
  for (const name of names) {
    const db = new Database(join(dataDir, name), { fileMustExist: true });
    try {
      db.pragma('busy_timeout = 5000');
      await db.backup(join(outDir, name));
    } finally {
      db.close();
    }
    const bytes = readFileSync(join(outDir, name));
    files.push({ name, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
  }
  const manifest: BackupManifest = { format: 'truhe-relay-backup/1', created: new Date().toISOString(), files };
  writeFileSync(join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
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

export function restoreDataDir(fromDir: string, dataDir: string, force = false): BackupManifest {
  const manifest = JSON.parse(readFileSync(join(fromDir, 'manifest.json'), 'utf8')) as BackupManifest;
  if (manifest.format !== 'truhe-relay-backup/1') throw new Error('restore: not a truhe relay backup');
  mkdirSync(dataDir, { recursive: true });
  if (!force && readdirSync(dataDir).some(isDbFile)) throw new Error('restore: data directory is not empty (use --force)');
  for (const f of manifest.files) {
    if (!isDbFile(f.name)) throw new Error('restore: unexpected file in manifest');
    const src = join(fromDir, f.name);
    const sum = createHash('sha256').update(readFileSync(src)).digest('hex');
    if (sum !== f.sha256) throw new Error(`restore: ${f.name} does not match the manifest`);
    for (const ext of ['-wal', '-shm']) if (existsSync(join(dataDir, f.name + ext))) throw new Error('restore: stale WAL in data directory');
    copyFileSync(src, join(dataDir, f.name));
    const db = new Database(join(dataDir, f.name), { fileMustExist: true });
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

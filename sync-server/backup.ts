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
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { decryptFile, encryptFile } from './backup-crypto.js';
import { GLOBAL_FILE } from './storage/sqlite/index.js';

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
    if (encrypted) decryptFile(src, dest, f.name, secret!);
    else copyFileSync(src, dest);
    const db = new Database(dest, { fileMustExist: true });
    try {
      const ok = db.pragma('quick_check', { simple: true });
      if (ok !== 'ok') throw new Error(`restore: ${f.name} failed quick_check`);
    } finally {
      db.close();
    }
  }
  return manifest;
}

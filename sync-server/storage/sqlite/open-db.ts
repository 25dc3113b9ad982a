/**
 * Opens a SQLite file with the relay's pragmas: WAL, synchronous=FULL (an acknowledged write
 * survives power loss, not only a process crash), secure_delete=ON (deleted ciphertext is
 * overwritten with zeros), foreign keys off (the relay deletes explicitly). The WAL is copied
 * into the file every 10 000 pages (~40 MiB) instead of SQLite's 1 000: pages that many pushes
 * touch (index leaves) are written back once, not every few commits (push throughput +18 % at
 * the same durability); after a checkpoint the WAL is cut back to 64 MiB. `scrubWal` still
 * truncates it to zero after every deletion of ciphertext. Each file's page cache is 2 MiB (the
 * better-sqlite3 build's default is 16 MiB): a relay holding hundreds of team files keeps its
 * memory bounded, at no cost in push throughput (measured).
 */
import Database from 'better-sqlite3';

export type Db = Database.Database;

/** Tuning beside WAL + synchronous=FULL + secure_delete (shared with the benchmark's bare baseline). */
export const RELAY_PRAGMAS = ['wal_autocheckpoint = 10000', 'journal_size_limit = 67108864', 'cache_size = -2000'];

export function openDb(file: string, ddl: string): Db {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('secure_delete = ON');
  db.pragma('busy_timeout = 5000');
  for (const p of RELAY_PRAGMAS) db.pragma(p);
  db.exec(ddl);
  return db;
}

/** Brings a team file of an older layout up to date (columns added since; idempotent). */
export function upgradeTeamDb(db: Db): void {
  const cols = (db.prepare('PRAGMA table_info(chunks)').all() as { name: string }[]).map((c) => c.name);
  // chunks.added: last upload/ask time (unix ms) for the orphan sweep; 0 = before the upgrade (swept after the grace period from now on)
  if (!cols.includes('added')) db.exec('ALTER TABLE chunks ADD COLUMN added INTEGER NOT NULL DEFAULT 0');
  // chunks.file / chunks.size: the bytes live in a file beside the database (chunk-files.ts), the
  // row's data is empty; null for a chunk stored inline before (its bytes stay in data).
  if (!cols.includes('file')) db.exec('ALTER TABLE chunks ADD COLUMN file TEXT; ALTER TABLE chunks ADD COLUMN size INTEGER');
  db.exec(CHUNK_FILES_DDL);
  // A team file from before the roster (protocol 1) keeps its tables; such a team has no roster
  // and its members cannot authenticate until it is re-created (0.x: see ARCHITECTURE.md).
  const acc = (db.prepare('PRAGMA table_info(accounts)').all() as { name: string }[]).map((c) => c.name);
  if (!acc.includes('team_role')) db.exec('ALTER TABLE accounts ADD COLUMN team_role TEXT; ALTER TABLE accounts ADD COLUMN removed INTEGER NOT NULL DEFAULT 0');
  const dev = (db.prepare('PRAGMA table_info(devices)').all() as { name: string }[]).map((c) => c.name);
  if (!dev.includes('revoked_at')) db.exec('ALTER TABLE devices ADD COLUMN revoked_at INTEGER');
  // codes.last_used_day: UTC day a code last opened a session (null = never, or before the upgrade)
  const codes = (db.prepare('PRAGMA table_info(codes)').all() as { name: string }[]).map((c) => c.name);
  if (!codes.includes('last_used_day')) db.exec('ALTER TABLE codes ADD COLUMN last_used_day TEXT');
  // Record bodies count toward the team's stored bytes (quota, relay cap): a running counter kept
  // by triggers in the same transaction as every insert and delete; summed once for an older file.
  db.transaction(() => db.exec(RECORD_BYTES_DDL))();
}

/** A deleted row's chunk file is queued for shredding in the deleting transaction itself (see ChunkFiles.drain). */
const CHUNK_FILES_DDL = `
CREATE TABLE IF NOT EXISTS chunk_files_gone (share TEXT NOT NULL, file TEXT NOT NULL);
CREATE TRIGGER IF NOT EXISTS chunks_file_gone AFTER DELETE ON chunks WHEN OLD.file IS NOT NULL BEGIN INSERT INTO chunk_files_gone (share, file) VALUES (OLD.share, OLD.file); END;
`;

/** A chunk row's byte count, inline or in a file. */
export const CHUNK_SIZE_SQL = 'COALESCE(size, length(data))';

/** meta 'record_bytes' = SUM(length(records.body)), kept by triggers (bodies are base64url: characters = bytes). */
const RECORD_BYTES_DDL = `
INSERT INTO meta (k, v) SELECT 'record_bytes', (SELECT COALESCE(SUM(length(body)), 0) FROM records) WHERE NOT EXISTS (SELECT 1 FROM meta WHERE k = 'record_bytes');
CREATE TRIGGER IF NOT EXISTS records_bytes_add AFTER INSERT ON records BEGIN UPDATE meta SET v = v + length(NEW.body) WHERE k = 'record_bytes'; END;
CREATE TRIGGER IF NOT EXISTS records_bytes_del AFTER DELETE ON records BEGIN UPDATE meta SET v = v - length(OLD.body) WHERE k = 'record_bytes'; END;
`;

/** The team's stored bytes: chunk bytes ('usage') plus record bodies ('record_bytes'). */
export const TEAM_BYTES_SQL = "SELECT COALESCE(SUM(v), 0) FROM meta WHERE k IN ('usage', 'record_bytes')";

/** After deleting ciphertext: copy the WAL into the file and truncate the WAL to zero bytes, so old frames holding the bytes are gone too. */
export function scrubWal(db: Db): void {
  db.pragma('wal_checkpoint(TRUNCATE)');
}

export const TEAM_DDL = `
CREATE TABLE IF NOT EXISTS accounts (id TEXT PRIMARY KEY, sign_pk TEXT NOT NULL, box_pk TEXT NOT NULL, auth_pk TEXT NOT NULL, kdf TEXT NOT NULL, key_blob TEXT NOT NULL, created INTEGER NOT NULL, team_role TEXT, removed INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS devices (id TEXT PRIMARY KEY, account TEXT NOT NULL, sign_pk TEXT NOT NULL, cert TEXT NOT NULL, platform TEXT NOT NULL, name_enc TEXT NOT NULL, last_seen_day TEXT, active INTEGER NOT NULL, revoked_at INTEGER);
CREATE TABLE IF NOT EXISTS roster (idx INTEGER PRIMARY KEY, entry TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS team_wraps (account TEXT NOT NULL, epoch INTEGER NOT NULL, wrapped TEXT NOT NULL, PRIMARY KEY (account, epoch));
CREATE TABLE IF NOT EXISTS invite_uses (invite TEXT PRIMARY KEY, account TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS join_requests (account TEXT PRIMARY KEY, invite TEXT NOT NULL, name_enc TEXT NOT NULL, mac TEXT NOT NULL, at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS checkpoints (device TEXT PRIMARY KEY, account TEXT NOT NULL, body TEXT NOT NULL, sig TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS devices_account ON devices(account);
CREATE TABLE IF NOT EXISTS shares (id TEXT PRIMARY KEY, log_len INTEGER NOT NULL, last_hash TEXT NOT NULL, epoch INTEGER NOT NULL, head_seq INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS log (share TEXT NOT NULL, idx INTEGER NOT NULL, entry TEXT NOT NULL, PRIMARY KEY (share, idx));
CREATE TABLE IF NOT EXISTS members (share TEXT NOT NULL, account TEXT NOT NULL, role TEXT NOT NULL, PRIMARY KEY (share, account));
CREATE INDEX IF NOT EXISTS members_account ON members(account);
CREATE TABLE IF NOT EXISTS codes (code TEXT PRIMARY KEY, share TEXT NOT NULL, verifier_pk TEXT NOT NULL, read_only INTEGER NOT NULL, expires_at INTEGER, last_used_day TEXT);
CREATE TABLE IF NOT EXISTS wraps (share TEXT NOT NULL, epoch INTEGER NOT NULL, to_kind TEXT NOT NULL, to_id TEXT NOT NULL, wrapped TEXT NOT NULL, PRIMARY KEY (share, to_kind, to_id, epoch));
CREATE TABLE IF NOT EXISTS records (share TEXT NOT NULL, item TEXT NOT NULL, version INTEGER NOT NULL, seq INTEGER NOT NULL, base_version INTEGER NOT NULL, kind TEXT NOT NULL, epoch INTEGER NOT NULL, author_kind TEXT NOT NULL, author_id TEXT NOT NULL, body TEXT NOT NULL, chunks TEXT NOT NULL, sig TEXT NOT NULL, PRIMARY KEY (share, item, version));
CREATE TABLE IF NOT EXISTS items (share TEXT NOT NULL, item TEXT NOT NULL, version INTEGER NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (share, item));
CREATE INDEX IF NOT EXISTS items_seq ON items(share, seq);
CREATE TABLE IF NOT EXISTS chunks (share TEXT NOT NULL, hash TEXT NOT NULL, data BLOB NOT NULL, added INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (share, hash));
CREATE TABLE IF NOT EXISTS chunk_refs (share TEXT NOT NULL, hash TEXT NOT NULL, item TEXT NOT NULL, version INTEGER NOT NULL, PRIMARY KEY (share, hash, item, version));
CREATE INDEX IF NOT EXISTS chunk_refs_item ON chunk_refs(share, item, version);
CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v INTEGER NOT NULL);
INSERT OR IGNORE INTO meta (k, v) VALUES ('usage', 0);
`;

export const GLOBAL_DDL = `
CREATE TABLE IF NOT EXISTS teams (id TEXT PRIMARY KEY, file TEXT NOT NULL, created INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS auth_failures (source TEXT PRIMARY KEY, count INTEGER NOT NULL, first_at INTEGER NOT NULL, last_at INTEGER NOT NULL, blocked_until INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS secrets (k TEXT PRIMARY KEY, v BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS enrollment (hash TEXT PRIMARY KEY, expires_at INTEGER NOT NULL, created INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS team_usage (team TEXT PRIMARY KEY, bytes INTEGER NOT NULL);
`;

const statements = new WeakMap<Db, Map<string, Database.Statement>>();
/** Prepared-statement cache per connection (preparing costs more than running most of our queries). */
export function q(db: Db, sql: string): Database.Statement {
  let m = statements.get(db);
  if (!m) statements.set(db, (m = new Map()));
  let st = m.get(sql);
  if (!st) m.set(sql, (st = db.prepare(sql)));
  return st;
}

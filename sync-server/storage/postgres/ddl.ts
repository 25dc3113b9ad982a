/**
 * PostgreSQL layout: one schema per team (`truhe_team_<hex id>`, the same tables as a team's
 * SQLite file) plus the global schema `truhe` (team → schema, auth-failure counters, the relay
 * secret). Numbers are BIGINT (read back as JS numbers by the pool's own type parser); chunk
 * bytes are BYTEA stored EXTERNAL (ciphertext does not compress, so no pglz attempt).
 */
import { b64urlDecode } from '../../../protocol/index.js';

export const GLOBAL_SCHEMA = 'truhe';
/** Bumped when the layout changes; stored in truhe.meta (2: the team roster, DESIGN.md §8). */
export const LAYOUT_VERSION = 2;

/** Schema name of a team: hex of the 16-byte id, so it is a safe identifier by construction. */
export function teamSchema(team: string): string {
  const bytes = b64urlDecode(team);
  if (!bytes || bytes.length !== 16) throw new RangeError('teamSchema: not a team id');
  return `truhe_team_${Buffer.from(bytes).toString('hex')}`;
}

/** Tables of a team schema in the order the migration copies them. */
export const TEAM_TABLES = [
  'accounts', 'devices', 'roster', 'team_wraps', 'invite_uses', 'join_requests', 'checkpoints',
  'shares', 'log', 'members', 'codes', 'wraps', 'records', 'items', 'chunks', 'chunk_refs', 'meta',
] as const;

/** Tables of the roster layout (2); created with IF NOT EXISTS so the upgrade can reuse them. */
function rosterTablesDdl(s: string): string {
  return `
CREATE TABLE IF NOT EXISTS ${s}.roster (idx bigint PRIMARY KEY, entry text NOT NULL);
CREATE TABLE IF NOT EXISTS ${s}.team_wraps (account text NOT NULL, epoch bigint NOT NULL, wrapped text NOT NULL, PRIMARY KEY (account, epoch));
CREATE TABLE IF NOT EXISTS ${s}.invite_uses (invite text PRIMARY KEY, account text NOT NULL);
CREATE TABLE IF NOT EXISTS ${s}.join_requests (account text PRIMARY KEY, invite text NOT NULL, name_enc text NOT NULL, mac text NOT NULL, at bigint NOT NULL);
CREATE TABLE IF NOT EXISTS ${s}.checkpoints (device text PRIMARY KEY, account text NOT NULL, body text NOT NULL, sig text NOT NULL);
`;
}

/** "table.column" of the newest layout that an older team schema may lack (openTeam checks them before upgrading). */
export const LATEST_COLUMNS = [
  'chunks.added', 'accounts.team_role', 'accounts.removed', 'devices.revoked_at',
  'roster.entry', 'team_wraps.wrapped', 'invite_uses.account', 'join_requests.at', 'checkpoints.sig',
  'codes.last_used_day',
] as const;

/**
 * Brings a team schema of an older layout up to date (idempotent). A schema from before the
 * roster keeps its rows but has no roster: its members cannot authenticate until the team is
 * re-created (0.x, as for a SQLite team file of that age).
 */
export function teamUpgradeDdl(schema: string): string {
  const s = `"${schema}"`;
  return `
ALTER TABLE ${s}.chunks ADD COLUMN IF NOT EXISTS added bigint NOT NULL DEFAULT 0;
ALTER TABLE ${s}.accounts ADD COLUMN IF NOT EXISTS team_role text;
ALTER TABLE ${s}.accounts ADD COLUMN IF NOT EXISTS removed boolean NOT NULL DEFAULT false;
ALTER TABLE ${s}.devices ADD COLUMN IF NOT EXISTS revoked_at bigint;
ALTER TABLE ${s}.codes ADD COLUMN IF NOT EXISTS last_used_day text;
${rosterTablesDdl(s)}`;
}

export function teamDdl(schema: string): string {
  const s = `"${schema}"`;
  return `
CREATE SCHEMA ${s};
CREATE TABLE ${s}.accounts (id text PRIMARY KEY, sign_pk text NOT NULL, box_pk text NOT NULL, auth_pk text NOT NULL, kdf text NOT NULL, key_blob text NOT NULL, created bigint NOT NULL, team_role text, removed boolean NOT NULL DEFAULT false);
CREATE TABLE ${s}.devices (id text PRIMARY KEY, account text NOT NULL, sign_pk text NOT NULL, cert text NOT NULL, platform text NOT NULL, name_enc text NOT NULL, last_seen_day text, active boolean NOT NULL, revoked_at bigint);
CREATE INDEX ON ${s}.devices (account);
${rosterTablesDdl(s).trim()}
CREATE TABLE ${s}.shares (id text PRIMARY KEY, log_len bigint NOT NULL, last_hash text NOT NULL, epoch bigint NOT NULL, head_seq bigint NOT NULL);
CREATE TABLE ${s}.log (share text NOT NULL, idx bigint NOT NULL, entry text NOT NULL, PRIMARY KEY (share, idx));
CREATE TABLE ${s}.members (share text NOT NULL, account text NOT NULL, role text NOT NULL, PRIMARY KEY (share, account));
CREATE INDEX ON ${s}.members (account);
CREATE TABLE ${s}.codes (code text PRIMARY KEY, share text NOT NULL, verifier_pk text NOT NULL, read_only boolean NOT NULL, expires_at bigint, last_used_day text);
CREATE TABLE ${s}.wraps (share text NOT NULL, epoch bigint NOT NULL, to_kind text NOT NULL, to_id text NOT NULL, wrapped text NOT NULL, PRIMARY KEY (share, to_kind, to_id, epoch));
CREATE TABLE ${s}.records (share text NOT NULL, item text NOT NULL, version bigint NOT NULL, seq bigint NOT NULL, base_version bigint NOT NULL, kind text NOT NULL, epoch bigint NOT NULL, author_kind text NOT NULL, author_id text NOT NULL, body text NOT NULL, chunks text NOT NULL, sig text NOT NULL, PRIMARY KEY (share, item, version));
CREATE TABLE ${s}.items (share text NOT NULL, item text NOT NULL, version bigint NOT NULL, seq bigint NOT NULL, PRIMARY KEY (share, item));
CREATE INDEX ON ${s}.items (share, seq);
CREATE TABLE ${s}.chunks (share text NOT NULL, hash text NOT NULL, data bytea NOT NULL, added bigint NOT NULL DEFAULT 0, PRIMARY KEY (share, hash));
ALTER TABLE ${s}.chunks ALTER COLUMN data SET STORAGE EXTERNAL;
CREATE TABLE ${s}.chunk_refs (share text NOT NULL, hash text NOT NULL, item text NOT NULL, version bigint NOT NULL, PRIMARY KEY (share, hash, item, version));
CREATE INDEX ON ${s}.chunk_refs (share, item, version);
CREATE TABLE ${s}.meta (k text PRIMARY KEY, v bigint NOT NULL);
INSERT INTO ${s}.meta (k, v) VALUES ('usage', 0);
${recordBytesDdl(s)}`;
}

/**
 * meta 'record_bytes' = SUM(octet_length(records.body)), kept by a trigger in the same
 * transaction as every insert and delete (the team's stored bytes: chunks + record bodies).
 * Idempotent: summed once for a schema of an older layout (under the caller's lock).
 */
export function recordBytesDdl(s: string): string {
  return `
INSERT INTO ${s}.meta (k, v) SELECT 'record_bytes', COALESCE(SUM(octet_length(body)), 0) FROM ${s}.records ON CONFLICT (k) DO NOTHING;
DROP TRIGGER IF EXISTS records_bytes ON ${s}.records;
CREATE TRIGGER records_bytes AFTER INSERT OR DELETE ON ${s}.records FOR EACH ROW EXECUTE FUNCTION ${GLOBAL_SCHEMA}.count_record_bytes();
`;
}

/** The team's stored bytes (chunks + record bodies). */
export const teamBytesSql = (s: string) => `SELECT COALESCE(SUM(v), 0)::bigint AS v FROM ${s}.meta WHERE k IN ('usage', 'record_bytes')`;

export const GLOBAL_DDL = `
CREATE SCHEMA IF NOT EXISTS ${GLOBAL_SCHEMA};
CREATE TABLE IF NOT EXISTS ${GLOBAL_SCHEMA}.teams (id text PRIMARY KEY, schema text NOT NULL UNIQUE, created bigint NOT NULL);
CREATE TABLE IF NOT EXISTS ${GLOBAL_SCHEMA}.auth_failures (source text PRIMARY KEY, count bigint NOT NULL, first_at bigint NOT NULL, last_at bigint NOT NULL, blocked_until bigint NOT NULL);
CREATE INDEX IF NOT EXISTS auth_failures_last_at ON ${GLOBAL_SCHEMA}.auth_failures (last_at);
CREATE TABLE IF NOT EXISTS ${GLOBAL_SCHEMA}.secrets (k text PRIMARY KEY, v bytea NOT NULL);
CREATE TABLE IF NOT EXISTS ${GLOBAL_SCHEMA}.enrollment (hash text PRIMARY KEY, expires_at bigint NOT NULL, created bigint NOT NULL);
CREATE TABLE IF NOT EXISTS ${GLOBAL_SCHEMA}.meta (k text PRIMARY KEY, v bigint NOT NULL);
CREATE TABLE IF NOT EXISTS ${GLOBAL_SCHEMA}.team_usage (team text PRIMARY KEY, bytes bigint NOT NULL);
INSERT INTO ${GLOBAL_SCHEMA}.meta (k, v) SELECT 'teams', count(*) FROM ${GLOBAL_SCHEMA}.teams ON CONFLICT (k) DO UPDATE SET v = excluded.v;
CREATE OR REPLACE FUNCTION ${GLOBAL_SCHEMA}.count_record_bytes() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
  IF TG_OP = 'INSERT' THEN
    EXECUTE format('UPDATE %I.meta SET v = v + $1 WHERE k = ''record_bytes''', TG_TABLE_SCHEMA) USING octet_length(NEW.body);
  ELSE
    EXECUTE format('UPDATE %I.meta SET v = v - $1 WHERE k = ''record_bytes''', TG_TABLE_SCHEMA) USING octet_length(OLD.body);
  END IF;
  RETURN NULL;
END $f$;
INSERT INTO ${GLOBAL_SCHEMA}.meta (k, v) VALUES ('layout', ${LAYOUT_VERSION}) ON CONFLICT (k) DO UPDATE SET v = GREATEST(${GLOBAL_SCHEMA}.meta.v, excluded.v);
`;

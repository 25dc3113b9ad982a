/**
 * `truhe-relay migrate --from sqlite:./data --to postgres://…`: copies every team of a SQLite
 * data directory into PostgreSQL (one schema per team), plus the relay secret and the
 * rate-limit rows, then reads every row back and compares, per table, the row count and a
 * SHA-256 over the sorted per-row SHA-256 hashes (ciphertext included) on both sides.
 * A team already present in the target is refused (nothing is overwritten). Run it with the
 * SQLite relay stopped; each team file is read inside one read transaction (a consistent snapshot).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type pg from 'pg';
import { GLOBAL_SCHEMA as G, TEAM_TABLES, teamDdl, teamSchema } from './storage/postgres/ddl.js';
import { createPool, withTx } from './storage/postgres/pool.js';
import { ensureGlobalSchema } from './storage/postgres/index.js';
import { GLOBAL_FILE } from './storage/sqlite/index.js';
import { ChunkFiles, chunkDirOf } from './storage/sqlite/chunk-files.js';

type Row = Record<string, unknown>;
export interface TableSummary { table: string; source: number; target: number; sourceHash: string; targetHash: string; ok: boolean }
export interface MigrateSummary { teams: number; tables: TableSummary[]; ok: boolean; notes: string[] }

export class MigrateError extends Error {
  constructor(readonly code: 'BAD_SOURCE' | 'TEAM_EXISTS' | 'LAYOUT_MISMATCH' | 'VERIFY_FAILED', message: string) {
    super(message);
  }
}

const BOOL_COLS = new Set(['devices.active', 'codes.read_only', 'accounts.removed']);
/** One canonical form for a row from either side: booleans as 0/1, bytes as base64, keys sorted. */
function rowHash(table: string, r: Row): Buffer {
  const norm: Row = {};
  for (const k of Object.keys(r).sort()) {
    const v = r[k];
    norm[k] = Buffer.isBuffer(v) || v instanceof Uint8Array ? Buffer.from(v).toString('base64')
      : typeof v === 'boolean' ? (v ? 1 : 0) : typeof v === 'bigint' ? Number(v) : v;
  }
  return createHash('sha256').update(table).update('\0').update(JSON.stringify(norm)).digest();
}
class Tally {
  private hashes = new Map<string, Buffer[]>();
  add(table: string, r: Row) {
    let l = this.hashes.get(table);
    if (!l) this.hashes.set(table, (l = []));
    l.push(rowHash(table, r));
  }
  count = (t: string) => this.hashes.get(t)?.length ?? 0;
  digest(t: string): string {
    const h = createHash('sha256');
    for (const x of [...(this.hashes.get(t) ?? [])].sort(Buffer.compare)) h.update(x);
    return h.digest('hex');
  }
}

/** Inserts rows in multi-row statements of at most ~1000 parameters or ~8 MiB. */
async function insertRows(c: pg.PoolClient, target: string, table: string, cols: string[], rows: Iterable<Row>): Promise<void> {
  let batch: unknown[][] = [];
  let bytes = 0;
  const flush = async () => {
    if (!batch.length) return;
    const values = batch.map((_, i) => `(${cols.map((__, j) => `$${i * cols.length + j + 1}`).join(',')})`).join(',');
    await c.query(`INSERT INTO ${target} (${cols.join(',')}) VALUES ${values}`, batch.flat());
    batch = [];
    bytes = 0;
  };
  for (const r of rows) {
    const vals = cols.map((k) => (BOOL_COLS.has(`${table}.${k}`) ? r[k] === 1 || r[k] === true : r[k]));
    batch.push(vals);
    bytes += vals.reduce<number>((a, v) => a + (Buffer.isBuffer(v) ? v.length : typeof v === 'string' ? v.length : 8), 0);
    if ((batch.length + 1) * cols.length > 1000 || bytes > 8 * 1024 * 1024) await flush();
  }
  await flush();
}

/** Streams rows of a PG table in primary-key order, a page at a time. */
async function* readPg(db: pg.Pool, target: string, table: string): AsyncGenerator<Row> {
  const pk = (await db.query<{ a: string }>(
    `SELECT a.attname AS a FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) WHERE i.indrelid = $1::regclass AND i.indisprimary ORDER BY array_position(i.indkey::int2[], a.attnum)`,
    [target],
  )).rows.map((r) => r.a);
  const page = table === 'chunks' ? 16 : 1000;
  let offset = 0;
  for (;;) {
    const r = await db.query<Row>(`SELECT * FROM ${target} ORDER BY ${pk.join(',')} LIMIT ${page} OFFSET ${offset}`);
    yield* r.rows;
    if (r.rows.length < page) return;
    offset += page;
  }
}

function sqliteColumns(db: Database.Database, table: string): string[] {
  return (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
}
async function pgColumns(db: pg.Pool | pg.PoolClient, schema: string, table: string): Promise<string[]> {
  const r = await db.query<{ c: string }>('SELECT column_name AS c FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position', [schema, table]);
  return r.rows.map((x) => x.c);
}
/** Columns of the SQLite chunks table that say where the bytes are (a file beside the database); PostgreSQL keeps them in the row. */
const SQLITE_CHUNK_FILE_COLS = new Set(['file', 'size']);
/** Columns added to the layout later, with a default: a team file of the older layout may lack them. */
const DEFAULTED = new Set(['chunks.added', 'accounts.team_role', 'accounts.removed', 'devices.revoked_at']);
/** Tables added to the layout later (the roster): a team file the relay has not opened since lacks them (nothing to copy). */
const ADDED_TABLES = new Set<string>(['roster', 'team_wraps', 'invite_uses', 'join_requests', 'checkpoints']);
/** Columns copied per team and table, so the read-back compares exactly what was copied (defaults of newer columns aside). */
type Copied = Map<string, string[]>;
const pick = (r: Row, cols: string[]): Row => Object.fromEntries(cols.map((k) => [k, r[k]]));
function sameColumns(table: string, a: string[], b: string[]): string[] {
  const target = b.filter((c) => a.includes(c) || !DEFAULTED.has(`${table}.${c}`));
  if ([...a].sort().join() !== [...target].sort().join()) throw new MigrateError('LAYOUT_MISMATCH', `migrate: ${table} columns differ (sqlite ${a.join(',')} / postgres ${b.join(',')})`);
  return a;
}

/** Copies one team file into a new schema in one transaction; tallies the source rows; returns the columns copied per table. */
async function copyTeam(pool: pg.Pool, dir: string, team: string, file: string, created: number, src: Tally): Promise<Copied> {
  const copied: Copied = new Map();
  const schema = teamSchema(team);
  const db = new Database(join(dir, file), { readonly: true, fileMustExist: true });
  try {
    db.exec('BEGIN');
    await withTx(pool, async (c) => {
      const ins = await c.query(`INSERT INTO ${G}.teams VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [team, schema, created]);
      if (ins.rowCount !== 1) throw new MigrateError('TEAM_EXISTS', `migrate: a team (file ${file}) already exists in the target; nothing of it was copied`);
      await c.query(teamDdl(schema));
      await c.query(`DELETE FROM "${schema}".meta`);
      for (const t of TEAM_TABLES) {
        const have = sqliteColumns(db, t);
        if (!have.length && ADDED_TABLES.has(t)) {
          copied.set(t, []);
          continue;
        }
        // chunks.file / chunks.size (SQLite only): the bytes of such a chunk are in its file, copied as the row's data
        const inFiles = t === 'chunks' && have.includes('file');
        const cols = sameColumns(t, have.filter((k) => !(inFiles && SQLITE_CHUNK_FILE_COLS.has(k))), await pgColumns(c, schema, t));
        copied.set(t, cols);
        const rows = db.prepare(`SELECT ${[...cols, ...(inFiles ? ['file'] : [])].join(',')} FROM ${t}`).iterate() as IterableIterator<Row>;
        const files = inFiles ? new ChunkFiles(chunkDirOf(join(dir, file))) : null;
        const withBytes = (r: Row): Row => {
          if (!files) return r;
          const { file: name, ...rest } = r;
          return name === null ? rest : { ...rest, data: readFileSync(files.path(String(rest.share), String(name))) };
        };
        const tallied = (function* () { for (const x of rows) { const r = withBytes(x); src.add(t, r); yield r; } })();
        await insertRows(c, `"${schema}".${t}`, t, cols, tallied);
      }
    });
  } finally {
    db.close();
  }
  return copied;
}

export async function migrateSqliteToPg(opts: { from: string; to: string; poolSize?: number }): Promise<MigrateSummary> {
  const dir = opts.from.replace(/^sqlite:/, '');
  let global: Database.Database;
  try {
    global = new Database(join(dir, GLOBAL_FILE), { readonly: true, fileMustExist: true });
  } catch {
    throw new MigrateError('BAD_SOURCE', `migrate: no ${GLOBAL_FILE} in the source directory`);
  }
  const pool = createPool({ url: opts.to, poolSize: opts.poolSize ?? 4 });
  const src = new Tally();
  const dst = new Tally();
  const notes: string[] = [];
  try {
    await ensureGlobalSchema(pool);
    const teams = global.prepare('SELECT id, file, created FROM teams ORDER BY id').all() as { id: string; file: string; created: number }[];
    const targetEmpty = Number((await pool.query(`SELECT count(*) AS n FROM ${G}.teams`)).rows[0].n) === 0;
    // The relay secret keys the source-address hashes and the fake KDF answers: carry it over into an empty target.
    if (targetEmpty) {
      for (const r of global.prepare('SELECT k, v FROM secrets').all() as { k: string; v: Buffer }[]) {
        await pool.query(`INSERT INTO ${G}.secrets VALUES ($1, $2) ON CONFLICT (k) DO UPDATE SET v = excluded.v`, [r.k, r.v]);
        src.add('secrets', r);
      }
      for (const r of (await pool.query<Row>(`SELECT k, v FROM ${G}.secrets`)).rows) dst.add('secrets', r);
      const fails = global.prepare('SELECT source, count, first_at, last_at, blocked_until FROM auth_failures').all() as Row[];
      await withTx(pool, (c) => insertRows(c, `${G}.auth_failures`, 'auth_failures', ['source', 'count', 'first_at', 'last_at', 'blocked_until'], fails));
      for (const r of fails) src.add('auth_failures', r);
      for await (const r of readPg(pool, `${G}.auth_failures`, 'auth_failures')) if (fails.some((f) => f.source === r.source)) dst.add('auth_failures', r);
      // Unused team-enrollment tokens the operator issued (a global.sqlite from before them has no table).
      const tokens = sqliteColumns(global, 'enrollment').length ? global.prepare('SELECT hash, expires_at, created FROM enrollment').all() as Row[] : [];
      await withTx(pool, (c) => insertRows(c, `${G}.enrollment`, 'enrollment', ['hash', 'expires_at', 'created'], tokens));
      for (const r of tokens) src.add('enrollment', r);
      for await (const r of readPg(pool, `${G}.enrollment`, 'enrollment')) if (tokens.some((t) => t.hash === r.hash)) dst.add('enrollment', r);
    } else notes.push('target already holds teams: kept its relay secret; rate-limit rows and enrollment tokens not copied');
    const copied = new Map<string, Copied>();
    for (const t of teams) copied.set(t.id, await copyTeam(pool, dir, t.id, t.file, t.created, src));
    for (const t of teams) {
      for (const table of TEAM_TABLES) {
        const cols = copied.get(t.id)!.get(table)!;
        for await (const r of readPg(pool, `"${teamSchema(t.id)}".${table}`, table)) dst.add(table, pick(r, cols));
      }
    }
    const names = ['secrets', 'auth_failures', 'enrollment', ...TEAM_TABLES];
    const tables = names.map((table) => {
      const s = { table, source: src.count(table), target: dst.count(table), sourceHash: src.digest(table), targetHash: dst.digest(table), ok: false };
      s.ok = s.source === s.target && s.sourceHash === s.targetHash;
      return s;
    });
    return { teams: teams.length, tables, ok: tables.every((t) => t.ok), notes };
  } finally {
    global.close();
    await pool.end();
  }
}

/** The summary as printed by the CLI. */
export function formatSummary(s: MigrateSummary): string {
  const lines = [`migrated ${s.teams} team(s)`, 'table          source   target  sha256 (sorted row hashes)        check'];
  for (const t of s.tables) {
    lines.push(`${t.table.padEnd(13)} ${String(t.source).padStart(7)}  ${String(t.target).padStart(7)}  ${t.sourceHash.slice(0, 16)}…${t.ok ? '' : ` ≠ ${t.targetHash.slice(0, 16)}…`}  ${t.ok ? 'ok' : 'MISMATCH'}`);
  }
  for (const n of s.notes) lines.push(`note: ${n}`);
  lines.push(s.ok ? 'every row copied and verified' : 'VERIFY FAILED');
  return lines.join('\n') + '\n';
}

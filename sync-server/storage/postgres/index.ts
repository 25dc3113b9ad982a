/**
 * The scale-out storage backend: PostgreSQL, one schema per team (R9) plus the global schema
 * `truhe`. Several relay instances may share one database; every multi-row change is one
 * transaction with row locks (see team-records.ts). See README.md for the choices.
 */
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import type { AccountRegistration, DeviceRegistration, RosterEntry, TeamWrap } from '../../../protocol/index.js';
import type { AuthFailureState, RateLimitPolicy, RelayStorage, TeamStore } from '../types.js';
import { GLOBAL_DDL, GLOBAL_SCHEMA as G, LATEST_COLUMNS, teamDdl, teamSchema, teamUpgradeDdl } from './ddl.js';
import { failureState } from '../../rate-limit.js';
import { createPool, sqlState, withTx, type PoolOptions } from './pool.js';
import { addFounderTx } from './team-roster.js';
import { PgTeamStore } from './team-store.js';

export interface PgStorage extends RelayStorage {
  readonly pool: pg.Pool;
  /** Resolves if the database answers; rejects otherwise (for /healthz). */
  ping(): Promise<void>;
}

/** Creates the global schema if needed (under an advisory lock: instances may start at once). */
export async function ensureGlobalSchema(pool: pg.Pool): Promise<void> {
  await withTx(pool, async (c) => {
    await c.query("SELECT pg_advisory_xact_lock(hashtext('truhe-relay-layout'))");
    await c.query(GLOBAL_DDL);
  });
}

/**
 * Brings a team schema of an older layout up to date. Checked first (ALTER takes an exclusive
 * lock); upgraded under a per-schema advisory lock, as instances may open the team at once.
 */
async function upgradeTeamSchema(pool: pg.Pool, schema: string): Promise<void> {
  const has = await pool.query<{ n: number }>(
    `SELECT count(*) AS n FROM information_schema.columns WHERE table_schema = $1 AND table_name || '.' || column_name = ANY($2::text[])`,
    [schema, [...LATEST_COLUMNS]],
  );
  if (has.rows[0]!.n === LATEST_COLUMNS.length) return;
  await withTx(pool, async (c) => {
    await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`truhe-relay-layout ${schema}`]);
    await c.query(teamUpgradeDdl(schema));
  });
}

/** Opens (and on first use lays out) the PostgreSQL backend. */
export async function openPgStorage(opts: PoolOptions): Promise<PgStorage> {
  const pool = createPool(opts);
  try {
    await ensureGlobalSchema(pool);
  } catch (e) {
    await pool.end();
    throw e;
  }
  return pgStorage(pool);
}

function pgStorage(pool: pg.Pool): PgStorage {
  const teams = new Map<string, PgTeamStore>();
  return {
    pool,
    serialWrites: true,
    async ping() {
      await pool.query('SELECT 1');
    },
    async createTeam(team: string, account: AccountRegistration, device: DeviceRegistration, roster: RosterEntry[], wraps: TeamWrap[], now: number) {
      const schema = teamSchema(team);
      try {
        return await withTx(pool, async (c) => {
          const ins = await c.query(`INSERT INTO ${G}.teams VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [team, schema, now]);
          if (ins.rowCount !== 1) return false;
          await c.query(teamDdl(schema));
          await addFounderTx(c, `"${schema}"`, account, device, roster, wraps, now);
          return true;
        });
      } catch (e) {
        if (sqlState(e) === '23505' || sqlState(e) === '42P06') return false; // created at once elsewhere
        throw e;
      }
    },
    async addEnrollmentToken(hash: string, expiresAt: number, now: number) {
      await pool.query(`INSERT INTO ${G}.enrollment (hash, expires_at, created) VALUES ($1, $2, $3)`, [hash, expiresAt, now]);
    },
    async useEnrollmentToken(hash: string, now: number) {
      await pool.query(`DELETE FROM ${G}.enrollment WHERE expires_at <= $1`, [now]);
      // A row is deleted once: an instance deleting it at the same moment waits, then finds nothing.
      return (await pool.query(`DELETE FROM ${G}.enrollment WHERE hash = $1 AND expires_at > $2`, [hash, now])).rowCount === 1;
    },
    async listTeams() {
      return (await pool.query<{ id: string }>(`SELECT id FROM ${G}.teams ORDER BY id`)).rows.map((r) => r.id);
    },
    async openTeam(team: string): Promise<TeamStore | null> {
      const cached = teams.get(team);
      if (cached) return cached;
      const r = await pool.query<{ schema: string }>(`SELECT schema FROM ${G}.teams WHERE id = $1`, [team]);
      const schema = r.rows[0]?.schema;
      if (!schema) return null;
      await upgradeTeamSchema(pool, schema);
      const store = new PgTeamStore(team, schema, pool);
      teams.set(team, store);
      return store;
    },
    async recordAuthFailure(source: string, now: number, p: RateLimitPolicy): Promise<AuthFailureState> {
      return withTx(pool, async (c) => {
        const r = await c.query<{ count: number }>(
          `INSERT INTO ${G}.auth_failures VALUES ($1, 1, $2, $2, 0) ON CONFLICT (source) DO UPDATE SET count = ${G}.auth_failures.count + 1, last_at = $2 RETURNING count`,
          [source, now],
        );
        const st = failureState(r.rows[0]!.count, now, p);
        await c.query(`UPDATE ${G}.auth_failures SET blocked_until = $2 WHERE source = $1`, [source, st.blockedUntil]);
        return st;
      });
    },
    async authFailureState(source: string) {
      const r = await pool.query<AuthFailureState>(`SELECT count, blocked_until AS "blockedUntil" FROM ${G}.auth_failures WHERE source = $1`, [source]);
      return r.rows[0] ?? null;
    },
    async purgeAuthFailures(before: number, after = Number.MAX_SAFE_INTEGER) {
      return (await pool.query(`DELETE FROM ${G}.auth_failures WHERE last_at < $1 OR last_at > $2`, [before, after])).rowCount ?? 0;
    },
    async relaySecret() {
      await pool.query(`INSERT INTO ${G}.secrets VALUES ('relay', $1) ON CONFLICT (k) DO NOTHING`, [randomBytes(32)]);
      const r = await pool.query<{ v: Buffer }>(`SELECT v FROM ${G}.secrets WHERE k = 'relay'`);
      return new Uint8Array(r.rows[0]!.v);
    },
    async close() {
      teams.clear();
      await pool.end();
    },
  };
}

/**
 * The scale-out storage backend: PostgreSQL, one schema per team (R9) plus the global schema
 * `truhe`. Several relay instances may share one database; every multi-row change is one
 * transaction with row locks (see team-records.ts). See README.md for the choices.
 */
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import type { AccountRegistration, DeviceRegistration, RosterEntry, TeamWrap } from '../../../protocol/index.js';
import type { AuthFailureState, RateLimitPolicy, RelayStorage, RelayUsage, TeamStore } from '../types.js';
import { GLOBAL_DDL, GLOBAL_SCHEMA as G, LATEST_COLUMNS, recordBytesDdl, teamDdl, teamSchema, teamUpgradeDdl } from './ddl.js';
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
  if (has.rows[0]!.n !== LATEST_COLUMNS.length) {
    await withTx(pool, async (c) => {
      await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`truhe-relay-layout ${schema}`]);
      await c.query(teamUpgradeDdl(schema));
    });
  }
  // The record-bytes counter (stored bytes for quota and caps): summed once, with writes held off.
  if ((await pool.query(`SELECT 1 FROM "${schema}".meta WHERE k = 'record_bytes'`)).rowCount) return;
  await withTx(pool, async (c) => {
    await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`truhe-relay-layout ${schema}`]);
    await c.query(`LOCK TABLE "${schema}".records IN SHARE ROW EXCLUSIVE MODE`);
    await c.query(recordBytesDdl(`"${schema}"`));
  });
}

/** How often an instance writes its usage rows and re-reads the relay-wide totals other instances change (ms). */
const USAGE_REFRESH_MS = 2000;

/**
 * The relay's running totals on PostgreSQL: truhe.meta 'teams' (bumped by createTeam, recounted
 * at start-up) and truhe.team_usage (each team's stored bytes, set after each of its writes).
 * This instance adds its own changes at once and re-reads the sums every USAGE_REFRESH_MS, so
 * what other instances wrote counts within that interval.
 */
class PgUsage {
  value: RelayUsage = { teams: 0, bytes: 0 };
  private timer?: NodeJS.Timeout;
  /** Each team's stored bytes as this instance last wrote them; `dirty`: rows not written yet. */
  private readonly known = new Map<string, number>();
  private readonly dirty = new Set<string>();
  constructor(private readonly pool: pg.Pool) {}
  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh().catch(() => undefined), USAGE_REFRESH_MS);
    this.timer.unref();
  }
  /** Writes this instance's changed rows, then re-reads the sums (what other instances wrote). */
  async refresh(): Promise<void> {
    await this.flush();
    const r = await this.pool.query<{ teams: number; bytes: number }>(
      `SELECT COALESCE((SELECT v FROM ${G}.meta WHERE k = 'teams'), 0)::bigint AS teams, (SELECT COALESCE(SUM(bytes), 0) FROM ${G}.team_usage)::bigint AS bytes`,
    );
    this.value = { teams: Number(r.rows[0]!.teams), bytes: Number(r.rows[0]!.bytes) };
  }
  /**
   * A team's stored bytes after a write of this instance: counted at once; its row is written
   * with the next refresh (one statement for all teams, not one more commit per push). The first
   * time this instance sees a team, the row is written now to learn what it held.
   */
  async observe(team: string, bytes: number): Promise<void> {
    const was = this.known.get(team);
    if (was === bytes) return;
    this.known.set(team, bytes);
    if (was !== undefined) {
      this.value = { ...this.value, bytes: this.value.bytes + bytes - was };
      this.dirty.add(team);
      return;
    }
    const r = await this.pool.query<{ was: number | null }>(
      `WITH old AS (SELECT bytes FROM ${G}.team_usage WHERE team = $1) INSERT INTO ${G}.team_usage VALUES ($1, $2) ON CONFLICT (team) DO UPDATE SET bytes = excluded.bytes RETURNING (SELECT bytes FROM old) AS was`,
      [team, bytes],
    );
    this.value = { ...this.value, bytes: this.value.bytes + bytes - Number(r.rows[0]?.was ?? 0) };
  }
  async flush(): Promise<void> {
    if (!this.dirty.size) return;
    const teams = [...this.dirty];
    this.dirty.clear();
    try {
      await this.pool.query(
        `INSERT INTO ${G}.team_usage SELECT * FROM unnest($1::text[], $2::bigint[]) ON CONFLICT (team) DO UPDATE SET bytes = excluded.bytes`,
        [teams, teams.map((t) => this.known.get(t) ?? 0)],
      );
    } catch (e) {
      for (const t of teams) this.dirty.add(t);
      throw e;
    }
  }
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush().catch(() => undefined);
  }
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
  const usage = new PgUsage(pool);
  await usage.start();
  return pgStorage(pool, usage);
}

/** createTeam refused: the relay's maximum of teams is reached (rolls the transaction back). */
class FullSignal {}

function pgStorage(pool: pg.Pool, usage: PgUsage): PgStorage {
  const teams = new Map<string, PgTeamStore>();
  return {
    pool,
    serialWrites: true,
    async ping() {
      await pool.query('SELECT 1');
    },
    async createTeam(team: string, account: AccountRegistration, device: DeviceRegistration, roster: RosterEntry[], wraps: TeamWrap[], now: number, maxTeams = 0) {
      const schema = teamSchema(team);
      try {
        const made = await withTx(pool, async (c) => {
          const ins = await c.query(`INSERT INTO ${G}.teams VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [team, schema, now]);
          if (ins.rowCount !== 1) return false;
          // The counter row serialises team creation across instances: the cap holds exactly.
          const n = await c.query(`UPDATE ${G}.meta SET v = v + 1 WHERE k = 'teams' AND ($1::bigint = 0 OR v < $1::bigint) RETURNING v`, [maxTeams]);
          if (n.rowCount !== 1) throw new FullSignal();
          await c.query(teamDdl(schema));
          await addFounderTx(c, `"${schema}"`, account, device, roster, wraps, now);
          return true;
        });
        if (made) usage.value = { ...usage.value, teams: usage.value.teams + 1 };
        return made;
      } catch (e) {
        if (e instanceof FullSignal) return 'full' as const;
        if (sqlState(e) === '23505' || sqlState(e) === '42P06') return false; // created at once elsewhere
        throw e;
      }
    },
    usage() {
      return usage.value;
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
      const store = new PgTeamStore(team, schema, pool, (bytes) => usage.observe(team, bytes));
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
    async generation() {
      await pool.query(`INSERT INTO ${G}.secrets VALUES ('generation', $1) ON CONFLICT (k) DO NOTHING`, [randomBytes(16)]);
      const r = await pool.query<{ v: Buffer }>(`SELECT v FROM ${G}.secrets WHERE k = 'generation'`);
      return Buffer.from(r.rows[0]!.v).toString('base64url');
    },
    async close() {
      await usage.stop();
      teams.clear();
      await pool.end();
    },
  };
}

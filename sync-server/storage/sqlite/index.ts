/**
 * The embedded storage backend: one SQLite file per team under `dir` (team-<hex id>.sqlite)
 * plus global.sqlite (team → file, auth-failure counters, the relay secret). Team files are
 * opened on first use through a bounded LRU (team-pool.ts); a damaged one is quarantined.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import { b64urlDecode, type AccountRegistration, type DeviceRegistration, type RosterEntry, type TeamWrap } from '../../../protocol/index.js';
import { descriptorBudget } from '../../fd-limit.js';
import { failureState } from '../../rate-limit.js';
import { classifyStorageError, StorageFault } from '../storage-fault.js';
import type { AuthFailureState, RateLimitPolicy, RelayStorage, TeamStore } from '../types.js';
import { GLOBAL_DDL, openDb, type Db } from './open-db.js';
import { TeamPool } from './team-pool.js';

export const GLOBAL_FILE = 'global.sqlite';

/** File name of a team's database: hex of the 16-byte id (safe on case-insensitive file systems). */
export function teamFileName(team: string): string {
  const bytes = b64urlDecode(team);
  if (!bytes || bytes.length !== 16) throw new RangeError('teamFileName: not a team id');
  return `team-${Buffer.from(bytes).toString('hex')}.sqlite`;
}

export interface SqliteStorageOptions {
  dir: string;
  /** Team databases open at once (default: derived from the descriptor limit, see fd-limit.ts). */
  maxOpenTeams?: number;
  /** A reopened team is integrity-checked again when its last check is older than this (ms, default 24 h). */
  recheckMs?: number;
}

/** Free bytes below which /healthz calls the disk full (SQLite needs room for the WAL and a checkpoint). */
const MIN_FREE_BYTES = 16 * 1024 * 1024;

export function createSqliteStorage(opts: SqliteStorageOptions): RelayStorage {
  mkdirSync(opts.dir, { recursive: true });
  const global: Db = openDb(join(opts.dir, GLOBAL_FILE), GLOBAL_DDL);
  // Running totals for the relay's caps: the team count, and each team's stored bytes as last
  // seen (global team_usage, read once here; a team's row is set again whenever its file is
  // opened or written, so a crash between a team's commit and its row is repaired on next use
  // and by the maintenance walk).
  let teamCount = global.prepare('SELECT count(*) FROM teams').pluck().get() as number;
  const teamBytes = new Map((global.prepare('SELECT team, bytes FROM team_usage').all() as { team: string; bytes: number }[]).map((r) => [r.team, r.bytes]));
  let totalBytes = [...teamBytes.values()].reduce((a, b) => a + b, 0);
  const setUsage = global.prepare('INSERT INTO team_usage VALUES (?, ?) ON CONFLICT (team) DO UPDATE SET bytes = excluded.bytes');
  // Rows are written at most once a second in one transaction (not one more fsync per push);
  // the in-memory totals are exact meanwhile, and a row a crash left stale is set again when the
  // team is next opened.
  const dirty = new Set<string>();
  let flushTimer: NodeJS.Timeout | null = null;
  const flushUsage = () => {
    flushTimer = null;
    if (!dirty.size) return;
    const teams = [...dirty];
    dirty.clear();
    try {
      global.transaction(() => { for (const t of teams) setUsage.run(t, teamBytes.get(t) ?? 0); })();
    } catch {
      for (const t of teams) dirty.add(t); // disk full: tried again at the next change
    }
  };
  const observe = (team: string, bytes: number) => {
    const was = teamBytes.get(team);
    if (was === bytes) return;
    teamBytes.set(team, bytes);
    totalBytes += bytes - (was ?? 0);
    dirty.add(team);
    if (!flushTimer) {
      flushTimer = setTimeout(flushUsage, 1000);
      flushTimer.unref();
    }
  };
  const pool = new TeamPool({
    dir: opts.dir, maxOpen: opts.maxOpenTeams ?? descriptorBudget().openTeams, recheckMs: opts.recheckMs ?? 24 * 3600_000,
    monotonic: () => performance.now(), observe,
  });
  const fileOf = (team: string) => global.prepare('SELECT file FROM teams WHERE id = ?').pluck().get(team) as string | undefined;
  /** A global-database write; a full disk becomes a StorageFault. */
  const globalTx = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (e) {
      throw classifyStorageError(e) ?? e;
    }
  };
  return {
    async createTeam(team: string, account: AccountRegistration, device: DeviceRegistration, roster: RosterEntry[], wraps: TeamWrap[], now: number, maxTeams = 0) {
      if (fileOf(team)) return false;
      // One process writes global.sqlite and this runs without a pause: count and insert cannot interleave.
      if (maxTeams > 0 && teamCount >= maxTeams) return 'full';
      const file = teamFileName(team);
      let store;
      try {
        store = pool.store(team, file, true);
        if (!store.addFounder(account, device, roster, wraps, now)) return false;
      } catch (e) {
        throw pool.fault(team, e);
      }
      globalTx(() => global.prepare('INSERT INTO teams VALUES (?,?,?)').run(team, file, now));
      teamCount++;
      return true;
    },
    async addEnrollmentToken(hash: string, expiresAt: number, now: number) {
      globalTx(() => global.prepare('INSERT INTO enrollment VALUES (?,?,?)').run(hash, expiresAt, now));
    },
    async useEnrollmentToken(hash: string, now: number) {
      return globalTx(() => {
        global.prepare('DELETE FROM enrollment WHERE expires_at <= ?').run(now);
        return global.prepare('DELETE FROM enrollment WHERE hash = ?').run(hash).changes === 1;
      });
    },
    async listTeams() {
      return global.prepare('SELECT id FROM teams ORDER BY id').pluck().all() as string[];
    },
    async openTeam(team: string): Promise<TeamStore | null> {
      const file = fileOf(team);
      return file ? pool.handle(team, file) : null;
    },
    async checkTeam(team: string) {
      const file = fileOf(team);
      return file ? pool.recheck(team, file) : true;
    },
    health() {
      return { unavailableTeams: pool.unavailable(), openTeams: pool.openCount() };
    },
    usage() {
      return { teams: teamCount, bytes: totalBytes };
    },
    async ping() {
      global.prepare('SELECT 1').get();
      const fs = statfsSync(opts.dir);
      if (fs.bavail * fs.bsize < MIN_FREE_BYTES) throw new StorageFault('STORAGE_FULL', 'storage: disk full');
    },
    async recordAuthFailure(source: string, now: number, p: RateLimitPolicy): Promise<AuthFailureState> {
      return globalTx(() => global.transaction(() => {
        const row = global.prepare('SELECT count FROM auth_failures WHERE source = ?').get(source) as { count: number } | undefined;
        const st = failureState((row?.count ?? 0) + 1, now, p);
        global.prepare('INSERT INTO auth_failures VALUES (?,?,?,?,?) ON CONFLICT (source) DO UPDATE SET count = excluded.count, last_at = excluded.last_at, blocked_until = excluded.blocked_until')
          .run(source, st.count, now, now, st.blockedUntil);
        return st;
      })());
    },
    async authFailureState(source: string) {
      const r = global.prepare('SELECT count, blocked_until AS blockedUntil FROM auth_failures WHERE source = ?').get(source) as AuthFailureState | undefined;
      return r ?? null;
    },
    async purgeAuthFailures(before: number, after = Number.MAX_SAFE_INTEGER) {
      return globalTx(() => global.prepare('DELETE FROM auth_failures WHERE last_at < ? OR last_at > ?').run(before, after).changes);
    },
    async relaySecret() {
      const got = global.prepare("SELECT v FROM secrets WHERE k = 'relay'").pluck().get() as Buffer | undefined;
      if (got) return new Uint8Array(got);
      const s = randomBytes(32);
      global.prepare("INSERT OR IGNORE INTO secrets VALUES ('relay', ?)").run(s);
      return new Uint8Array(global.prepare("SELECT v FROM secrets WHERE k = 'relay'").pluck().get() as Buffer);
    },
    async generation() {
      global.prepare("INSERT OR IGNORE INTO secrets VALUES ('generation', ?)").run(randomBytes(16));
      return Buffer.from(global.prepare("SELECT v FROM secrets WHERE k = 'generation'").pluck().get() as Buffer).toString('base64url');
    },
    async close() {
      pool.closeAll();
      if (flushTimer) clearTimeout(flushTimer);
      flushUsage();
      global.close();
    },
  };
}

/**
 * The embedded storage backend: one SQLite file per team under `dir` (team-<hex id>.sqlite)
 * plus global.sqlite (team → file, auth-failure counters, the relay secret).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { b64urlDecode, type AccountRegistration, type DeviceRegistration } from '../../../protocol/index.js';
import type { AuthFailureState, RateLimitPolicy, RelayStorage, TeamStore } from '../types.js';
import { GLOBAL_DDL, openDb, TEAM_DDL, upgradeTeamDb, type Db } from './open-db.js';
import { SqliteTeamStore } from './team-store.js';

export const GLOBAL_FILE = 'global.sqlite';

/** File name of a team's database: hex of the 16-byte id (safe on case-insensitive file systems). */
export function teamFileName(team: string): string {
  const bytes = b64urlDecode(team);
  if (!bytes || bytes.length !== 16) throw new RangeError('teamFileName: not a team id');
  return `team-${Buffer.from(bytes).toString('hex')}.sqlite`;
}

export function createSqliteStorage(opts: { dir: string }): RelayStorage {
  mkdirSync(opts.dir, { recursive: true });
  const global: Db = openDb(join(opts.dir, GLOBAL_FILE), GLOBAL_DDL);
  const teams = new Map<string, SqliteTeamStore>();
  const open = (team: string, file: string) => {
    let s = teams.get(team);
    if (!s) {
      const db = openDb(join(opts.dir, file), TEAM_DDL);
      upgradeTeamDb(db);
      s = new SqliteTeamStore(team, db);
      teams.set(team, s);
    }
    return s;
  };
  return {
    async createTeam(team: string, account: AccountRegistration, device: DeviceRegistration, now: number) {
      if (global.prepare('SELECT 1 FROM teams WHERE id = ?').get(team)) return false;
      const file = teamFileName(team);
      const store = open(team, file);
      if (!(await store.addAccount(account, device, now))) return false;
      global.prepare('INSERT INTO teams VALUES (?,?,?)').run(team, file, now);
      return true;
    },
    async listTeams() {
      return global.prepare('SELECT id FROM teams ORDER BY id').pluck().all() as string[];
    },
    async openTeam(team: string): Promise<TeamStore | null> {
      const cached = teams.get(team);
      if (cached) return cached;
      const file = global.prepare('SELECT file FROM teams WHERE id = ?').pluck().get(team) as string | undefined;
      return file ? open(team, file) : null;
    },
    async recordAuthFailure(source: string, now: number, p: RateLimitPolicy): Promise<AuthFailureState> {
      return global.transaction(() => {
        const row = global.prepare('SELECT count FROM auth_failures WHERE source = ?').get(source) as { count: number } | undefined;
        const count = (row?.count ?? 0) + 1;
        const blockedUntil = count >= p.blockAfter ? now + p.blockMs
          : count > p.freeFailures ? now + Math.min(p.maxBackoffMs, 1000 * 2 ** (count - p.freeFailures - 1)) : 0;
        global.prepare('INSERT INTO auth_failures VALUES (?,?,?,?,?) ON CONFLICT (source) DO UPDATE SET count = excluded.count, last_at = excluded.last_at, blocked_until = excluded.blocked_until')
          .run(source, count, now, now, blockedUntil);
        return { count, blockedUntil };
      })();
    },
    async authFailureState(source: string) {
      const r = global.prepare('SELECT count, blocked_until AS blockedUntil FROM auth_failures WHERE source = ?').get(source) as AuthFailureState | undefined;
      return r ?? null;
    },
    async purgeAuthFailures(before: number) {
      return global.prepare('DELETE FROM auth_failures WHERE last_at < ?').run(before).changes;
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
      for (const s of teams.values()) s.db.close();
      teams.clear();
      global.close();
    },
  };
}

/**
 * The open team databases: a least-recently-used set of at most `maxOpen` files (each costs 3
 * descriptors: file, -wal, -shm), so the number of teams no longer bounds what the process can
 * open, and start-up opens none. A team is (re)opened on first use; an idle one is closed when
 * room is needed (SQLite checkpoints and removes its WAL on close, so a closed team's data lives
 * in its main file). A file that fails to open, fails `quick_check` or holds a damaged WAL is
 * quarantined: its requests fail with StorageFault STORAGE_UNAVAILABLE, every other team serves.
 *
 * Sessions hold a handle (`handle()`), not the store: each call resolves the open store, so an
 * evicted team reopens under a live session. A store is never closed while a call on it is in
 * flight (group commits included).
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { TeamStore } from '../types.js';
import { classifyStorageError, StorageFault } from '../storage-fault.js';
import { RELAY_PRAGMAS, TEAM_DDL, upgradeTeamDb } from './open-db.js';
import { SqliteTeamStore } from './team-store.js';
import { chunkDirOf } from './chunk-files.js';
import { walDamage } from './wal-check.js';

/** `dead`: quarantined while in use; closed when its last call settles. */
interface Entry { store: SqliteTeamStore; busy: number; dead?: boolean }

export interface TeamPoolOptions {
  dir: string;
  maxOpen: number;
  /** A team's integrity is re-checked (quick_check + WAL) when reopened this long after its last check (ms). */
  recheckMs: number;
  /** Monotonic milliseconds (intervals must not follow wall-clock jumps). */
  monotonic: () => number;
  /** The team's stored bytes, read when its file is opened and after every call that may change them (the relay-wide running total). */
  observe?: (team: string, bytes: number) => void;
}

/** TeamStore calls that may change a team's stored bytes. */
const SIZE_CHANGING = new Set(['pushRecords', 'putChunk', 'purgeOrphanChunks', 'deleteShare', 'dropKeys']);

export class TeamPool {
  private readonly open = new Map<string, Entry>();
  private readonly bad = new Map<string, string>();
  private readonly checkedAt = new Map<string, number>();
  constructor(private readonly o: TeamPoolOptions) {}

  /** A TeamStore that resolves the open database on every call (survives eviction). */
  handle(team: string, file: string): TeamStore {
    return new Proxy({ team } as TeamStore, {
      get: (target, prop) => {
        if (prop === 'team') return team;
        if (typeof prop !== 'string' || prop === 'then') return undefined;
        return (...args: unknown[]) => this.call(team, file, prop, args);
      },
    });
  }

  /** Opens (or creates, `create`) the team's database now; throws StorageFault if it is damaged. */
  store(team: string, file: string, create = false): SqliteTeamStore {
    return this.acquire(team, file, create).store;
  }

  private call(team: string, file: string, method: string, args: unknown[]): Promise<unknown> {
    let entry: Entry;
    try {
      entry = this.acquire(team, file, false);
    } catch (e) {
      return Promise.reject(this.fault(team, e));
    }
    entry.busy++;
    const done = () => {
      if (--entry.busy === 0 && entry.dead) try { entry.store.db.close(); } catch { /* broken */ }
    };
    try {
      const fn = (entry.store as unknown as Record<string, (...a: unknown[]) => unknown>)[method];
      if (typeof fn !== 'function') throw new TypeError(`TeamStore.${method} is not a function`);
      return Promise.resolve(fn.apply(entry.store, args)).then(
        (v) => {
          if (SIZE_CHANGING.has(method)) this.observe(team, entry.store);
          done();
          return v;
        },
        (e: unknown) => {
          done();
          const f = this.fault(team, e);
          // The last-seen/last-used day is bookkeeping written during authentication: a full disk must not
          // lock devices out of reading what is stored (their writes get STORAGE_FULL).
          if ((method === 'touchDevice' || method === 'touchCode') && (f as { code?: string }).code === 'STORAGE_FULL') return undefined;
          throw f;
        },
      );
    } catch (e) {
      done();
      return Promise.reject(this.fault(team, e));
    }
  }

  /** A driver error of `team` as a StorageFault (quarantining the team if its file is damaged). */
  fault(team: string, e: unknown): unknown {
    const f = classifyStorageError(e);
    if (f?.code === 'STORAGE_UNAVAILABLE') this.quarantine(team, f.message);
    return f ?? e;
  }

  private acquire(team: string, file: string, create: boolean): Entry {
    if (this.bad.has(team)) throw new StorageFault('STORAGE_UNAVAILABLE', 'storage: team database unavailable');
    const hit = this.open.get(team);
    if (hit) {
      this.open.delete(team);
      this.open.set(team, hit);
      return hit;
    }
    this.evict(this.o.maxOpen - 1);
    const path = join(this.o.dir, file);
    const entry: Entry = { store: new SqliteTeamStore(team, this.openFile(team, path, create), chunkDirOf(path)), busy: 0 };
    this.open.set(team, entry);
    this.observe(team, entry.store);
    // chunk files a crash left queued for shredding (their rows are gone)
    void entry.store.files.drain(entry.store.db).catch(() => undefined);
    return entry;
  }

  /** Reports the team's stored bytes (best effort: a read that fails leaves the last value). */
  private observe(team: string, store: SqliteTeamStore): void {
    if (!this.o.observe) return;
    try {
      this.o.observe(team, store.bytesNow());
    } catch { /* counted again at the next open or write */ }
  }

  private openFile(team: string, path: string, create: boolean): Database.Database {
    const last = this.checkedAt.get(team);
    const check = !create && (last === undefined || this.o.monotonic() - last >= this.o.recheckMs);
    if (check) {
      const wal = walDamage(`${path}-wal`);
      if (wal) {
        this.quarantine(team, wal);
        throw new StorageFault('STORAGE_UNAVAILABLE', `storage: ${wal}`);
      }
    }
    let db: Database.Database | undefined;
    try {
      db = new Database(path, { fileMustExist: !create });
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('secure_delete = ON');
      db.pragma('busy_timeout = 5000');
      for (const p of RELAY_PRAGMAS) db.pragma(p);
      if (check) {
        const r = db.pragma('quick_check', { simple: true });
        if (r !== 'ok') throw new StorageFault('STORAGE_UNAVAILABLE', 'storage: quick_check failed');
        this.checkedAt.set(team, this.o.monotonic());
      }
      db.exec(TEAM_DDL);
      upgradeTeamDb(db);
      return db;
    } catch (e) {
      try { db?.close(); } catch { /* already unusable */ }
      const f = classifyStorageError(e) ?? ((e as { code?: string }).code === 'SQLITE_CANTOPEN' ? new StorageFault('STORAGE_UNAVAILABLE', 'storage: team file missing') : null);
      if (f?.code === 'STORAGE_UNAVAILABLE') this.quarantine(team, f.message);
      throw f ?? e;
    }
  }

  /** Closes least-recently-used idle stores until at most `keep` stay open. */
  private evict(keep: number): void {
    if (this.open.size <= keep) return;
    for (const [team, e] of this.open) {
      if (this.open.size <= keep) return;
      if (e.busy > 0) continue;
      this.open.delete(team);
      try { e.store.db.close(); } catch { /* closing a broken file */ }
    }
  }

  quarantine(team: string, why: string): void {
    this.bad.set(team, why);
    const e = this.open.get(team);
    if (e) {
      this.open.delete(team);
      e.dead = true;
      if (e.busy === 0) try { e.store.db.close(); } catch { /* broken */ }
    }
  }

  /**
   * The periodic integrity check (maintenance): a quarantined team, or one last checked more than
   * recheckMs ago, is closed and reopened with quick_check + WAL check, so a file the operator
   * repaired or restored serves again and damage in a long-open file is found. True if healthy.
   */
  recheck(team: string, file: string): boolean {
    const last = this.checkedAt.get(team);
    if (!this.bad.has(team) && last !== undefined && this.o.monotonic() - last < this.o.recheckMs) return true;
    const e = this.open.get(team);
    if (e && e.busy > 0) return true; // in use right now: checked on a later sweep
    this.bad.delete(team);
    this.checkedAt.delete(team);
    if (e) {
      this.open.delete(team);
      e.store.db.close();
    }
    try {
      this.acquire(team, file, false);
      return true;
    } catch {
      return false;
    }
  }

  unavailable(): number {
    return this.bad.size;
  }
  isUnavailable(team: string): boolean {
    return this.bad.has(team);
  }
  openCount(): number {
    return this.open.size;
  }
  closeAll(): void {
    for (const e of this.open.values()) e.store.db.close();
    this.open.clear();
  }
}

/**
 * Team files' page size (issue 19: WAL bytes per record): a team file created now has
 * TEAM_PAGE_SIZE pages and a checkpoint threshold of the same WAL bytes as 10 000 pages of
 * 4 KiB; a file created before keeps its 4 KiB pages, its threshold and its rows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { TEAM_DDL, TEAM_PAGE_SIZE } from '../../../sync-server/storage/sqlite/open-db.js';
import { TeamPool } from '../../../sync-server/storage/sqlite/team-pool.js';

const dir = mkdtempSync(join(tmpdir(), 'truhe-pagesize-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const pool = () => new TeamPool({ dir, maxOpen: 4, recheckMs: 0, monotonic: () => 0 });

describe('team file page size', () => {
  it('a new team file has TEAM_PAGE_SIZE pages and a checkpoint threshold of ~40 MiB of WAL', () => {
    const db = pool().store('new', 'new.sqlite', true).db;
    expect(TEAM_PAGE_SIZE).toBeLessThan(4096);
    expect(db.pragma('page_size', { simple: true })).toBe(TEAM_PAGE_SIZE);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe((10_000 * 4096) / TEAM_PAGE_SIZE);
    db.close();
  });

  it('a team file made with 4 KiB pages keeps them, its threshold and its rows when reopened', () => {
    const old = new Database(join(dir, 'old.sqlite'));
    old.pragma('page_size = 4096');
    old.pragma('journal_mode = WAL');
    old.exec(TEAM_DDL);
    old.prepare("INSERT INTO shares VALUES ('s', 0, 'h', 0, 7)").run();
    old.close();
    const db = pool().store('old', 'old.sqlite').db;
    expect(db.pragma('page_size', { simple: true })).toBe(4096);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(10_000);
    expect(db.prepare("SELECT head_seq FROM shares WHERE id = 's'").pluck().get()).toBe(7);
    db.close();
  });
});

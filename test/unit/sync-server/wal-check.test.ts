/**
 * walDamage on real SQLite WAL files (a live connection's WAL, copied): whole → null; the last
 * frame torn (what a crash can leave) → null; a frame early in it damaged with later commits →
 * damaged; a damaged WAL header with commits in it → damaged.
 */
import { copyFileSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { walDamage } from '../../../sync-server/storage/sqlite/wal-check.js';

const dir = mkdtempSync(join(tmpdir(), 'truhe-walcheck-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const FRAME = 24 + 4096;

/** A WAL holding `commits` one-row commits (the connection stays open so the WAL is not checkpointed away). */
function walWith(commits: number): string {
  const db = new Database(join(dir, `db-${commits}-${Math.random()}.sqlite`));
  db.pragma('journal_mode = WAL');
  db.pragma('wal_autocheckpoint = 0');
  db.exec('CREATE TABLE t (v TEXT)');
  for (let i = 0; i < commits; i++) db.prepare('INSERT INTO t VALUES (?)').run('x'.repeat(100) + i);
  const copy = join(dir, `copy-${Math.random()}-wal`);
  copyFileSync(`${db.name}-wal`, copy);
  db.close();
  return copy;
}
function flip(file: string, at: number) {
  const b = readFileSync(file);
  const fd = openSync(file, 'r+');
  writeSync(fd, Buffer.from([b[at]! ^ 0xff]), 0, 1, at);
  closeSync(fd);
}

describe('walDamage', () => {
  it('a whole WAL, an absent one and an empty one are fine', () => {
    expect(walDamage(walWith(20))).toBeNull();
    expect(walDamage(join(dir, 'nope-wal'))).toBeNull();
  });
  it('a torn last frame (a crash mid-commit) is not damage', () => {
    const wal = walWith(20);
    const frames = (readFileSync(wal).length - 32) / FRAME;
    flip(wal, 32 + (frames - 1) * FRAME + 24 + 10);
    expect(walDamage(wal)).toBeNull();
  });
  it('a damaged frame with later commits is damage', () => {
    const wal = walWith(20);
    flip(wal, 32 + 2 * FRAME + 24 + 500);
    expect(walDamage(wal)).toMatch(/^WAL frame 2 damaged with \d+ commits after it$/);
  });
  it('a damaged WAL header with commits after it is damage', () => {
    const wal = walWith(20);
    flip(wal, 17); // salt-1: header checksum breaks
    expect(walDamage(wal)).toMatch(/^WAL frame 0 damaged/);
  });
});

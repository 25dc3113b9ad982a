/**
 * Analysis aid for issue 19 (not a benchmark row): which b-tree each WAL frame of a record push
 * belongs to. Pushes N records (1 KiB, 17 pushes per group commit, as the relay bench's commits
 * average) through SqliteTeamStore into a private file, truncates its WAL, pushes 60 more group
 * commits and maps every frame's page number to its table/index via `dbstat`. Automatic
 * checkpoints are off in this private file only, so the WAL holds every frame of the window.
 * Run: `N=30000 PS=4096 npx tsx bench/relay/wal-pages.ts` (PS: page size, default 4096 as the relay's team files).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { openDb, TEAM_DDL, upgradeTeamDb } from '../../sync-server/storage/sqlite/open-db.js';
import { SqliteTeamStore } from '../../sync-server/storage/sqlite/team-store.js';
import { chunkDirOf } from '../../sync-server/storage/sqlite/chunk-files.js';
const f = join(mkdtempSync(join(tmpdir(), 'pages-')), 't.sqlite');
const PS = Number(process.env.PS ?? 4096);
{ const d0 = new Database(f); d0.pragma(`page_size = ${PS}`); d0.pragma('journal_mode = WAL'); d0.close(); }
const db = openDb(f, TEAM_DDL); upgradeTeamDb(db);
db.pragma('wal_autocheckpoint = 0');
db.exec("INSERT INTO shares VALUES ('S', 0, 'x', 0, 0)");
const st = new SqliteTeamStore('T', db, chunkDirOf(f));
const b64 = (n: number) => randomBytes(n).toString('base64url');
const N = Number(process.env.N ?? 3000);
// warm: prior records
for (let k = 0; k < N / 17; k++) await Promise.all(Array.from({ length: 17 }, () => st.pushRecords('S', [{ item: b64(16), version: 1, baseVersion: 0, kind: 'note', epoch: 0, author: { kind: 'account', id: b64(16) }, body: b64(768), chunks: [], sig: b64(64) }] as any, 10)));
db.pragma('wal_checkpoint(TRUNCATE)');
for (let k = 0; k < 60; k++) await Promise.all(Array.from({ length: 17 }, () => st.pushRecords('S', [{ item: b64(16), version: 1, baseVersion: 0, kind: 'note', epoch: 0, author: { kind: 'account', id: b64(16) }, body: b64(768), chunks: [], sig: b64(64) }] as any, 10)));
const wal = readFileSync(f + '-wal');
const map = new Map<number, string>();
for (const r of db.prepare('SELECT name, pageno FROM dbstat').all() as any[]) map.set(r.pageno, r.name);
const cnt = new Map<string, number>(); let frames = 0, commits = 0;
for (let o = 32; o + PS + 24 <= wal.length; o += PS + 24) { frames++; const p = wal.readUInt32BE(o); if (wal.readUInt32BE(o + 4)) commits++; const n = map.get(p) ?? 'new/free'; cnt.set(n, (cnt.get(n) ?? 0) + 1); }
console.log({ frames, commits, perRecord: frames / 1020, bytesPerRecord: Math.round((frames * (PS + 24)) / 1020), perCommit: frames / commits });
console.log([...cnt].sort((a, b) => b[1] - a[1]).map(([n, c]) => `${n}: ${(c / commits).toFixed(2)}/commit`).join('\n'));
db.close();
rmSync(dirname(f), { recursive: true, force: true });

/**
 * Baseline for the push benchmark: a bare `ws` server that inserts every frame into SQLite with
 * the relay's pragmas (WAL, synchronous=FULL, RELAY_PRAGMAS), batching the frames of one event-loop turn into one
 * transaction, and acks each. No auth, no schemas, no hash check: the ceiling of the machine.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { WebSocketServer } from 'ws';
import { RELAY_PRAGMAS } from '../../sync-server/storage/sqlite/open-db.js';

const file = join(mkdtempSync(join(tmpdir(), 'truhe-bare-')), 'bare.sqlite');
const db = new Database(file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
for (const p of RELAY_PRAGMAS) db.pragma(p);
db.exec('CREATE TABLE t (k INTEGER PRIMARY KEY, data BLOB NOT NULL)');
const ins = db.prepare('INSERT INTO t (data) VALUES (?)');
// `--schema relay`: text frames (pushes) go into the relay's own records/items tables and indexes
// (sync-server/storage/sqlite/open-db.ts), one row per record with its seq and the item head, so
// the record-push ratio compares equal storage work; still no auth, no validation, no fan-out.
const relaySchema = process.argv.includes('--schema') && process.argv[process.argv.indexOf('--schema') + 1] === 'relay';
db.exec(`CREATE TABLE records (share TEXT NOT NULL, item TEXT NOT NULL, version INTEGER NOT NULL, seq INTEGER NOT NULL, base_version INTEGER NOT NULL, kind TEXT NOT NULL, epoch INTEGER NOT NULL, author_kind TEXT NOT NULL, author_id TEXT NOT NULL, body TEXT NOT NULL, chunks TEXT NOT NULL, sig TEXT NOT NULL, PRIMARY KEY (share, item, version));
CREATE TABLE items (share TEXT NOT NULL, item TEXT NOT NULL, version INTEGER NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (share, item));
CREATE INDEX items_seq ON items(share, seq);`);
const insRecord = db.prepare('INSERT INTO records (share, item, version, seq, base_version, kind, epoch, author_kind, author_id, body, chunks, sig) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)');
const setItem = db.prepare('INSERT INTO items (share, item, version, seq) VALUES (?,?,?,?) ON CONFLICT (share, item) DO UPDATE SET version = excluded.version, seq = excluded.seq');
let seq = 0;
interface Rec { item: string; version: number; baseVersion: number; kind: string; epoch: number; author: { kind: string; id: string }; body: string; chunks: string[]; sig: string }
const store = (data: Buffer, isBinary: boolean) => {
  if (!relaySchema || isBinary) return void ins.run(data);
  const m = JSON.parse(data.toString()) as { share: string; records: Rec[] };
  for (const r of m.records) {
    seq++;
    insRecord.run(m.share, r.item, r.version, seq, r.baseVersion, r.kind, r.epoch, r.author.kind, r.author.id, r.body, JSON.stringify(r.chunks), r.sig);
    setItem.run(m.share, r.item, r.version, seq);
  }
};
let pending: { ws: import('ws').WebSocket; data: Buffer; isBinary: boolean }[] = [];
const flush = () => {
  const batch = pending;
  pending = [];
  db.transaction(() => { for (const p of batch) store(p.data, p.isBinary); })();
  for (const p of batch) p.ws.send('{"type":"ok"}');
};
const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', maxPayload: 4 * 1024 * 1024 });
wss.on('connection', (ws) => ws.on('message', (data: Buffer, isBinary: boolean) => { if (pending.push({ ws, data, isBinary }) === 1) setImmediate(flush); }));
wss.on('listening', () => process.stdout.write(`listening on ws://127.0.0.1:${(wss.address() as { port: number }).port} db ${file}\n`));

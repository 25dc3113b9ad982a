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

const db = new Database(join(mkdtempSync(join(tmpdir(), 'truhe-bare-')), 'bare.sqlite'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
for (const p of RELAY_PRAGMAS) db.pragma(p);
db.exec('CREATE TABLE t (k INTEGER PRIMARY KEY, data BLOB NOT NULL)');
const ins = db.prepare('INSERT INTO t (data) VALUES (?)');
let pending: { ws: import('ws').WebSocket; data: Buffer }[] = [];
const flush = () => {
  const batch = pending;
  pending = [];
  db.transaction(() => { for (const p of batch) ins.run(p.data); })();
  for (const p of batch) p.ws.send('{"type":"ok"}');
};
const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', maxPayload: 4 * 1024 * 1024 });
wss.on('connection', (ws) => ws.on('message', (data: Buffer) => { if (pending.push({ ws, data }) === 1) setImmediate(flush); }));
wss.on('listening', () => process.stdout.write(`listening on ws://127.0.0.1:${(wss.address() as { port: number }).port}\n`));

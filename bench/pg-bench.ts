/**
 * Relay scale-out benchmark (real `truhe-relay serve` processes, loopback, PostgreSQL beside SQLite):
 *  - push throughput (records/s, 1 KiB records, 32 pushes in flight per pusher):
 *    SQLite, PostgreSQL with one instance, PostgreSQL with two instances (one pusher on each);
 *  - p50/p99 latency of a `changed` notice: pusher and reader on one instance (SQLite, PostgreSQL),
 *    and pusher on A, reader on B (PostgreSQL LISTEN/NOTIFY fan-out).
 * Database: a throwaway one created through TRUHE_BENCH_PG (default postgres://postgres@127.0.0.1:5432/test).
 * Standalone: `npx tsx bench/pg-bench.ts` (BENCH_QUICK=1 for a short run).
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { b64, BenchClient, id16, percentile, setupTeam, spawnTs } from './relay/common.js';

interface Row { name: string; value: number; unit: string; note?: string }
const ADMIN = process.env.TRUHE_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: ADMIN });
  await c.connect();
  try { await c.query(sql); } finally { await c.end(); }
}

async function serve(args: string[]): Promise<{ url: string; proc: ChildProcess }> {
  const { proc, match } = await spawnTs('sync-server/cli.ts', ['serve', '--port', '0', '--log-level', 'warn', '--open-enrollment', ...args], /listening on (\S+)\n/);
  return { url: match[1]!, proc };
}

/** Pushes `n` one-record pushes keeping 32 in flight; returns seconds. */
async function pushMany(c: BenchClient, share: string, account: string, n: number): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: 32 }, async () => {
    while (next < n) {
      next++;
      const r = await c.request({ type: 'push', share, records: [{ item: id16(), version: 1, baseVersion: 0, kind: 'note', epoch: 0, author: { kind: 'account', id: account }, body: b64(1024), chunks: [], sig: b64(64) }] });
      if (r.type !== 'ok') throw new Error(`push: ${JSON.stringify(r)}`);
    }
  }));
  return (performance.now() - t0) / 1000;
}

/** Sequential pushes through `writer`; ms until `reader` hears `changed` for each. */
async function noticeLatency(writer: BenchClient, reader: BenchClient, share: string, account: string, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const heard = new Promise<void>((res) => { reader.onNotice = (m) => { if (m.type === 'changed' && m.share === share) res(); }; });
    const t0 = performance.now();
    void writer.request({ type: 'push', share, records: [{ item: id16(), version: 1, baseVersion: 0, kind: 'note', epoch: 0, author: { kind: 'account', id: account }, body: b64(1024), chunks: [], sig: b64(64) }] });
    await heard;
    out.push(performance.now() - t0);
  }
  return out;
}

/** One configuration: `urls[0]` takes the writers' team; the reader sits on the last url. */
async function measure(label: string, urls: string[], n: number, samples: number, rows: Row[], note: string): Promise<void> {
  const teams = await Promise.all(urls.map((u) => setupTeam(u)));
  const secs = await Promise.all(teams.map((t) => pushMany(t.c, t.share, t.account, n)));
  const total = (n * teams.length) / Math.max(...secs);
  rows.push({ name: `push throughput, ${label}`, value: total, unit: 'records/s', note: `${teams.length} pusher(s) × ${n} pushes of 1 KiB, 32 in flight; ${note}` });
  const t = teams[0]!;
  const reader = await BenchClient.connect(urls.at(-1)!, t.team, { method: 'device', id: t.device, priv: t.devKey.priv });
  await noticeLatency(t.c, reader, t.share, t.account, 20); // warm-up
  const lat = await noticeLatency(t.c, reader, t.share, t.account, samples);
  const where = urls.length > 1 ? 'pusher on A, reader on B' : 'pusher and reader on one relay';
  rows.push({ name: `changed latency p50, ${label}`, value: percentile(lat, 50), unit: 'ms', note: where });
  rows.push({ name: `changed latency p99, ${label}`, value: percentile(lat, 99), unit: 'ms', note: `${samples} samples` });
  for (const x of [...teams.map((y) => y.c), reader]) x.ws.close();
}

export async function run(opts: { quick?: boolean } = {}): Promise<Row[]> {
  const quick = opts.quick ?? process.env.BENCH_QUICK === '1';
  const n = quick ? 500 : 3000;
  const samples = quick ? 100 : 400;
  const rows: Row[] = [];
  const procs: ChildProcess[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'truhe-pg-bench-'));
  const dbName = `truhe_bench_${randomBytes(6).toString('hex')}`;
  const url = new URL(ADMIN);
  url.pathname = `/${dbName}`;
  await admin(`CREATE DATABASE ${dbName}`);
  try {
    const sqlite = await serve(['--data', dir]);
    procs.push(sqlite.proc);
    await measure('SQLite, 1 instance', [sqlite.url], n, samples, rows, 'group commit, synchronous=FULL');
    sqlite.proc.kill('SIGTERM');
    const a = await serve(['--db', url.toString(), '--pool-size', '10']);
    procs.push(a.proc);
    await measure('PostgreSQL, 1 instance', [a.url], n, samples, rows, 'pool 10, fsync on, one transaction per push');
    const b = await serve(['--db', url.toString(), '--pool-size', '10']);
    procs.push(b.proc);
    await measure('PostgreSQL, 2 instances', [a.url, b.url], n, samples, rows, 'one database, LISTEN/NOTIFY fan-out');
  } finally {
    for (const p of procs) p.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 200));
    await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await run()) console.log(`${r.name.padEnd(44)} ${r.value.toFixed(r.value >= 100 ? 0 : 2).padStart(8)} ${r.unit.padEnd(10)} ${r.note ?? ''}`);
}

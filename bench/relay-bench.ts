/**
 * Relay benchmark (real `truhe-relay serve` process, loopback):
 *  - push throughput: 64 KiB chunks (MB/s) and 1 KiB records (records/s) through the relay,
 *    beside a bare `ws` + SQLite batched-insert loop with the same pragmas (the machine's ceiling);
 *  - p50/p99 latency of a `changed` notice reaching a second connected client;
 *  - WAL bytes per record pushed, relay vs the same-schema baseline (issue 19): the same share
 *    contents (a prefill of multi-record pushes, so the indexes have more leaves than one group
 *    commit has records, as in a team in use), then the same records (1 KiB bodies, 1 per push,
 *    32 pushes in flight) into the relay and into the baseline, each with its normal automatic
 *    checkpoints (nothing is disabled). Counted by bench/relay/wal-meter.ts, which only reads the
 *    `-wal` files: the frames appended during the measured pushes, summed over WAL generations (a
 *    checkpoint restarts the WAL; the meter follows the salts in the frame headers), × (24 + page
 *    size) bytes. The relay's figure covers every WAL it writes (team file and global.sqlite) and
 *    everything its push path writes (records, items, indexes, share head seq, byte counters in
 *    `meta`); the baseline writes records + items + items_seq with SQLite's default 4 KiB pages.
 *    Why a push writes what it writes: bench/relay/wal-pages.ts (frames per b-tree);
 *  - authenticated idle connections held (clients in several child processes: ≤ 20 000 files
 *    per process here) and relay RSS per connection.
 * Standalone: `npx tsx bench/relay-bench.ts` (BENCH_QUICK=1 for a short run).
 */
import { readdirSync, rmSync, mkdtempSync } from 'node:fs';
import { dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { encodeBinaryFrame } from '../protocol/index.js';
import { meterWal } from './relay/wal-meter.js';
import { b64, BenchClient, id16, percentile, rssKiB, setupTeam, sha256, spawnTs } from './relay/common.js';
import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';

interface Row { bench?: string; name: string; value: number; unit: string; note?: string }
const MB = 1e6;

/** Runs `total` jobs keeping `window` in flight; returns seconds. */
async function pipelined(total: number, window: number, job: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: window }, async () => { while (next < total) await job(next++); }));
  return (performance.now() - t0) / 1000;
}

async function bareBaseline(chunks: Uint8Array[], records: string[], window: number, schema: 'blob' | 'relay' = 'blob', prefill: string[] = []) {
  const { proc, match } = await spawnTs('bench/relay/bare-server.ts', schema === 'relay' ? ['--schema', 'relay'] : [], /listening on (\S+) db (\S+)\n/);
  try {
    const ws = new WebSocket(match[1]!, { perMessageDeflate: false });
    await new Promise((r) => ws.once('open', r));
    const acks: (() => void)[] = [];
    ws.on('message', () => acks.shift()?.());
    const send = (d: Uint8Array | string) => new Promise<void>((r) => { acks.push(r); ws.send(d); });
    const chunkS = await pipelined(chunks.length, window, (i) => send(chunks[i]!));
    await pipelined(prefill.length, 4, (i) => send(prefill[i]!));
    const wal = meterWal(`${match[2]!}-wal`);
    const recS = await pipelined(records.length, 32, (i) => send(records[i]!));
    const walFrames = wal.stop();
    ws.close();
    return { chunkS, recS, walBytes: walFrames.bytes };
  } finally {
    proc.kill('SIGKILL');
    rmSync(dirname(match[2]!), { recursive: true, force: true });
  }
}

export async function run(opts: { quick?: boolean } = {}): Promise<Row[]> {
  const quick = opts.quick ?? process.env.BENCH_QUICK === '1';
  const data = mkdtempSync(join(tmpdir(), 'truhe-relay-bench-'));
  const { proc: relay, match } = await spawnTs('sync-server/cli.ts', ['serve', '--port', '0', '--data', data, '--log-level', 'warn', '--quota-bytes', String(1e12), '--open-enrollment'], /listening on (\S+)\n/);
  const url = match[1]!;
  const children: ChildProcess[] = [];
  const rows: Row[] = [];
  try {
    const t = await setupTeam(url);
    const me = { kind: 'account', id: t.account };
    const newRecord = (bodyBytes = 768) => ({ item: id16(), version: 1, baseVersion: 0, kind: 'note', epoch: 0, author: me, body: b64(bodyBytes), chunks: [], sig: b64(64) });
    // encoded before timing, as the baseline's frames are: the client's JSON work is not the relay's
    const relayFrames = (recs: object[]) => recs.map((r) => { const id = t.c.takeId(); return { id, text: JSON.stringify({ type: 'push', id, share: t.share, records: [r] }) }; });
    const bareFramesOf = (recs: object[]) => recs.map((r) => JSON.stringify({ type: 'push', id: 1, share: t.share, records: [r] }));
    // --- push throughput: relay and bare baseline interleaved, best of `rounds` (the machine is shared) ---
    const nChunks = quick ? 200 : 800;
    const nRec = quick ? 1000 : 5000;
    const rounds = quick ? 1 : 3;
    let best = { chunkS: Infinity, recS: Infinity, bareChunkS: Infinity, bareRecS: Infinity, sameRecS: Infinity };
    for (let round = 0; round < rounds; round++) {
      const chunkBytes = Array.from({ length: nChunks }, () => randomBytes(64 * 1024));
      const frames = chunkBytes.map((b) => ({ id: t.c.takeId(), b }));
      const encoded = frames.map((f) => encodeBinaryFrame({ type: 'chunk.put', id: f.id, share: t.share, hash: sha256(f.b) }, f.b));
      const chunkS = await pipelined(nChunks, 16, async (i) => {
        const a = await t.c.sendFrame(frames[i]!.id, encoded[i]!);
        if (a.type !== 'ok') throw new Error(`chunk.put: ${JSON.stringify(a)}`);
      });
      const recs = Array.from({ length: nRec }, () => newRecord());
      const recFrames = relayFrames(recs);
      const recS = await pipelined(nRec, 32, async (i) => {
        const a = await t.c.sendFrame(recFrames[i]!.id, recFrames[i]!.text);
        if (a.type !== 'ok') throw new Error(`push: ${JSON.stringify(a)}`);
      });
      const bareFrames = bareFramesOf(recs);
      const bare = await bareBaseline(chunkBytes, bareFrames, 16);
      const same = await bareBaseline([], bareFrames, 16, 'relay');
      best = { chunkS: Math.min(best.chunkS, chunkS), recS: Math.min(best.recS, recS), bareChunkS: Math.min(best.bareChunkS, bare.chunkS), bareRecS: Math.min(best.bareRecS, bare.recS), sameRecS: Math.min(best.sameRecS, same.recS) };
    }
    const mb = (nChunks * 64 * 1024) / MB;
    const chunkMBs = mb / best.chunkS, bareMBs = mb / best.bareChunkS;
    const note = `best of ${rounds}, interleaved with the baseline`;
    rows.push(
      { name: 'push 64 KiB chunks', value: chunkMBs, unit: 'MB/s', note: `${nChunks} chunks, 16 in flight, synchronous=FULL; ${note}` },
      { name: 'bare ws + SQLite batched insert, 64 KiB', value: bareMBs, unit: 'MB/s', note: 'same pragmas, no auth/schema/hash' },
      { name: 'chunk push vs bare', value: chunkMBs / bareMBs, unit: 'ratio', note: 'goal ≥ 0.7' },
      { name: 'push records (1 KiB, 1 per push)', value: nRec / best.recS, unit: 'records/s', note: `32 in flight; ${note}` },
      { name: 'bare ws + SQLite batched insert, records', value: nRec / best.bareRecS, unit: 'records/s' },
      { name: 'record push vs bare', value: best.bareRecS / best.recS, unit: 'ratio', note: 'goal ≥ 0.7' },
      { name: 'bare ws + SQLite, the relay\'s records/items schema', value: nRec / best.sameRecS, unit: 'records/s', note: 'same tables, primary keys and index as the relay; no auth/validation' },
      { name: 'record push vs same-schema baseline', value: best.sameRecS / best.recS, unit: 'ratio', note: 'goal ≥ 0.7 (issue 19: compare equal storage work)' },
    );
    // --- WAL bytes per record: a share already holding `prefill` records (index leaves outnumber
    // the records of one group commit, as in a team in use), then nRec single-record pushes ---
    {
      const prefill = quick ? 20_000 : 50_000;
      const pre = Array.from({ length: prefill / 100 }, () => Array.from({ length: 100 }, () => newRecord()));
      const recs = Array.from({ length: nRec }, () => newRecord());
      await pipelined(pre.length, 4, async (i) => {
        const a = await t.c.request({ type: 'push', share: t.share, records: pre[i]! });
        if (a.type !== 'ok') throw new Error(`prefill push: ${JSON.stringify(a)}`);
      });
      const recFrames = relayFrames(recs);
      // every WAL the relay writes: the team's file and global.sqlite (relay-wide usage rows)
      const wals = readdirSync(data).filter((f) => f.endsWith('.sqlite-wal'));
      if (!wals.some((f) => f.startsWith('team-'))) throw new Error('relay bench: no team -wal file in the data directory');
      const meters = wals.map((f) => ({ f, m: meterWal(join(data, f)) }));
      await pipelined(nRec, 32, async (i) => {
        const a = await t.c.sendFrame(recFrames[i]!.id, recFrames[i]!.text);
        if (a.type !== 'ok') throw new Error(`push: ${JSON.stringify(a)}`);
      });
      let walRelay = 0, walGlobal = 0;
      for (const { f, m } of meters) {
        const b = m.stop().bytes;
        walRelay += b;
        if (f === 'global.sqlite-wal') walGlobal += b;
      }
      const prefillFrames = pre.map((records) => JSON.stringify({ type: 'push', id: 1, share: t.share, records }));
      const bareFrames = bareFramesOf(recs);
      const walSame = (await bareBaseline([], bareFrames, 16, 'relay', prefillFrames)).walBytes;
      const walBlob = (await bareBaseline([], bareFrames, 16, 'blob', prefillFrames)).walBytes;
      const what = `${nRec} single-record pushes (1 KiB), 32 in flight, into a share holding ${prefill} records`;
      rows.push(
        { name: 'WAL bytes per record pushed (relay)', value: walRelay / nRec, unit: 'bytes', note: `frames appended to the relay's -wal files (team + global: ${Math.round(walGlobal / nRec)}) × (page size + 24); ${what}` },
        { name: 'WAL bytes per record (same-schema baseline)', value: walSame / nRec, unit: 'bytes', note: 'same records and prefill, same pushes in flight, same pragmas, SQLite\'s default 4 KiB pages' },
        { name: 'relay WAL bytes vs baseline', value: walRelay / walSame, unit: 'ratio', note: 'issue 19: reduce (4.8 × the bare blob baseline before)' },
        { name: 'WAL bytes per record (bare blob baseline)', value: walBlob / nRec, unit: 'bytes', note: 'one rowid table, no index: most of the relay\'s WAL is one random leaf of each of its two indexes keyed by item id' },
      );
    }
    // --- changed latency ---
    const b = await BenchClient.connect(url, t.team, { method: 'device', id: t.device, priv: t.devKey.priv });
    const lat: number[] = [];
    for (let i = 0; i < (quick ? 100 : 400); i++) {
      const got = new Promise<number>((res) => { b.onNotice = (m) => { if (m.type === 'changed') res(performance.now()); }; });
      const t0 = performance.now();
      void t.c.request({ type: 'push', share: t.share, records: [newRecord(200)] });
      lat.push((await got) - t0);
    }
    rows.push({ name: '`changed` latency p50', value: percentile(lat, 50), unit: 'ms', note: 'push sent → notice at 2nd client' }, { name: '`changed` latency p99', value: percentile(lat, 99), unit: 'ms' });
    // --- idle connections ---
    const procs = quick ? 2 : 4;
    const per = quick ? 1000 : 3750;
    const before = rssKiB(relay.pid!);
    const ready = await Promise.all(Array.from({ length: procs }, async () => {
      const c = await spawnTs('bench/relay/idle-clients.ts', [url, t.team, t.device, String(per)], /ready (\d+)\n/, { BENCH_DEVICE_KEY: t.devKey.pkcs8 });
      children.push(c.proc);
      return Number(c.match[1]);
    }));
    const held = ready.reduce((a, x) => a + x, 0);
    await new Promise((r) => setTimeout(r, 500));
    const after = rssKiB(relay.pid!);
    rows.push(
      { name: 'authenticated idle connections held', value: held, unit: 'connections', note: `${procs} client processes` },
      { name: 'relay RSS per idle connection', value: ((after - before) * 1024) / held / 1024, unit: 'KiB', note: `RSS ${Math.round(before / 1024)} → ${Math.round(after / 1024)} MiB; goal ≤ 10 KiB` },
    );
  } finally {
    for (const c of children) c.kill('SIGKILL');
    relay.kill('SIGKILL');
    rmSync(data, { recursive: true, force: true });
  }
  return rows;
}

if (process.argv[1]?.endsWith('relay-bench.ts')) {
  const rows = await run();
  for (const r of rows) console.log(`${r.name.padEnd(45)} ${r.value.toFixed(2).padStart(10)} ${r.unit}${r.note ? '  ' + r.note : ''}`);
  process.exit(0);
}

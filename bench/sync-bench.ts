/**
 * Sync benchmark, end to end on loopback: real relay process, real core, one fake-indexeddb per
 * simulated device (so store costs are those of fake-indexeddb in Node, not Chromium's).
 *   - note edit → visible decrypted on a second device: p50 / p99 over ≥ 200 edits
 *   - initial sync of 10 000 notes on a new device (records stored; then all decrypted)
 *   - 256 MiB file: upload (import + encrypt + upload) and download (fetch + verify + decrypt)
 *     MB/s, beside the raw STREAM encryption MB/s of the same machine
 * BENCH_QUICK=1 uses 2 000 notes and a 64 MiB file.
 */
import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { startRelay } from '../test/integration/sync/helpers/relay.js';
import { simDevice, synced, waitFor } from '../test/integration/sync/helpers/devices.js';
import { sessionOf } from '../core/vault/api.js';
import { ready } from '../core/crypto/sodium.js';
import { randomKey } from '../core/crypto/keys.js';
import { newStreamHeader, sealChunk } from '../core/crypto/stream.js';
import type { FileKey } from '../core/crypto/key-types.js';
import { FILE_CHUNK_SIZE } from '../core/vault/files.js';
import type { EmergencyKit, VaultApi } from '../core/vault-api.js';

interface Row { name: string; value: number; unit: string; note?: string }
const MiB = 1024 * 1024;
const PW = 'bench password';

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function fileSource(size: number) {
  const piece = new Uint8Array(4 * MiB).map((_, i) => (i * 2654435761) >>> 24);
  return {
    name: 'bench.bin', type: 'application/octet-stream', size,
    stream: () => {
      let sent = 0;
      return new ReadableStream<Uint8Array>({
        pull(c) {
          if (sent >= size) { c.close(); return; }
          const n = Math.min(piece.length, size - sent);
          sent += n;
          c.enqueue(piece.slice(0, n));
        },
      });
    },
  };
}

/** Second device in a worker thread (its own event loop, as on another machine). */
async function editLatency(a: VaultApi, kit: EmergencyKit, share: string, edits: number): Promise<number[]> {
  const item = await a.saveNote(share, { title: 'Latenz', body: 'start', tags: [] });
  await synced(a);
  // tsx's loader is registered inside the worker (a worker does not inherit it).
  const entry = new URL('./sync-peer.ts', import.meta.url).href;
  const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`;
  const peer = new Worker(boot, { eval: true, workerData: { kit, password: PW, share, item } });
  const seen = new Map<string, number>();
  let wake: (() => void) | null = null;
  peer.on('message', (m: 'ready' | { body: string; at: number }) => {
    if (m !== 'ready') seen.set(m.body, m.at);
    wake?.();
  });
  const until = async (pred: () => boolean) => { while (!pred()) await new Promise<void>((r) => { wake = r; }); };
  let ready = false;
  peer.once('message', () => { ready = true; });
  await until(() => ready);
  const out: number[] = [];
  for (let i = 0; i < edits; i++) {
    const body = `edit ${i} ${'·'.repeat(i % 50)}`;
    const t0 = performance.timeOrigin + performance.now();
    await a.saveNote(share, { title: 'Latenz', body, tags: [] }, item);
    await until(() => seen.has(body));
    out.push(seen.get(body)! - t0);
  }
  peer.postMessage('stop');
  await new Promise((r) => peer.once('exit', r));
  return out.sort((x, y) => x - y);
}

/** Both devices in this thread (one event loop): the pessimistic figure. */
async function editLatencySameThread(a: VaultApi, b: VaultApi, share: string, edits: number): Promise<number[]> {
  const item = await a.saveNote(share, { title: 'Latenz2', body: 'start', tags: [] });
  await waitFor(b, async () => ((await b.readNote(share, item).catch(() => null))?.body === 'start' ? true : undefined), 'first note');
  const out: number[] = [];
  for (let i = 0; i < edits; i++) {
    const body = `edit ${i} ${'·'.repeat(i % 50)}`;
    const t0 = performance.now();
    const seen = new Promise<void>((resolve) => {
      const off = b.onChange(() => {
        void b.readNote(share, item).then((n) => {
          if (n.body === body) { off(); resolve(); }
        }, () => undefined);
      });
    });
    await a.saveNote(share, { title: 'Latenz2', body, tags: [] }, item);
    await seen;
    out.push(performance.now() - t0);
  }
  return out.sort((x, y) => x - y);
}

async function initialSync(a: VaultApi, kit: EmergencyKit, share: string, n: number): Promise<Row[]> {
  for (let i = 0; i < n; i++) await a.saveNote(share, { title: `Notiz ${i}`, body: `Text ${i}\nZeile zwei\nZeile drei`, tags: i % 5 ? [] : ['fünf'] });
  await synced(a);
  const head = Number((await sessionOf(a).conn.request({ type: 'pull', share, since: Number.MAX_SAFE_INTEGER, limit: 1 })).head);
  const dev = simDevice(`bench-new-${n}`);
  const t0 = performance.now();
  const b = await dev.launcher.signInNewDevice({ kit, password: PW, deviceName: 'new' });
  const s = sessionOf(b);
  // Poll the seq (cheap) rather than counting rows on every change event.
  while (((await s.store.getSyncState(share as never))?.lastSeq ?? 0) < head) await new Promise((r) => setTimeout(r, 2));
  if ((await s.store.listRecords(share as never)).length < n) throw new Error('initialSync: records missing');
  const stored = (performance.now() - t0) / 1000;
  const items = await b.listItems(share);
  const decrypted = (performance.now() - t0) / 1000;
  if (items.length < n) throw new Error(`initialSync: only ${items.length} of ${n} items`);
  await b.lock();
  return [
    { name: `initial sync ${n} notes, new device (records stored)`, value: stored, unit: 's', note: `${(n / stored).toFixed(0)} notes/s incl. sign-in` },
    { name: `initial sync ${n} notes, new device (all decrypted)`, value: decrypted, unit: 's', note: `${(n / decrypted).toFixed(0)} notes/s` },
  ];
}

async function fileThroughput(a: VaultApi, bDev: ReturnType<typeof simDevice>, kit: EmergencyKit, share: string, size: number): Promise<Row[]> {
  const t0 = performance.now();
  const item = await a.importFile(share, fileSource(size));
  const tImported = performance.now();
  await synced(a);
  const up = (performance.now() - t0) / 1000;
  const b = await bDev.launcher.signInNewDevice({ kit, password: PW, deviceName: 'downloader' });
  await waitFor(b, async () => ((await b.listItems(share)).some((i) => i.id === item) ? true : undefined), 'file listed', 120_000);
  const t1 = performance.now();
  const h = createHash('sha256');
  let bytes = 0;
  const r = b.readFile(share, item).getReader();
  for (;;) {
    const { done, value } = await r.read();
    if (done) break;
    h.update(value);
    bytes += value.length;
  }
  const down = (performance.now() - t1) / 1000;
  if (bytes !== size) throw new Error('fileThroughput: size mismatch');
  await b.lock();
  const mb = size / 1e6;
  return [
    { name: `upload ${size / MiB} MiB file end to end`, value: mb / up, unit: 'MB/s', note: `import+encrypt ${((tImported - t0) / 1000).toFixed(1)} s, total ${up.toFixed(1)} s` },
    { name: `download ${size / MiB} MiB file end to end`, value: mb / down, unit: 'MB/s', note: 'fetch + hash + AEAD verify + decrypt, no cache' },
  ];
}

async function rawEncrypt(size: number): Promise<Row> {
  await ready();
  const key = randomKey<FileKey>();
  const header = newStreamHeader(key, FILE_CHUNK_SIZE);
  const pt = new Uint8Array(FILE_CHUNK_SIZE).fill(7);
  const chunks = Math.ceil(size / FILE_CHUNK_SIZE);
  const t0 = performance.now();
  for (let i = 0; i < chunks; i++) sealChunk(key, header, i, pt, i === chunks - 1);
  const s = (performance.now() - t0) / 1000;
  return { name: 'raw STREAM encryption (same chunk size)', value: (chunks * FILE_CHUNK_SIZE) / 1e6 / s, unit: 'MB/s', note: 'XChaCha20-Poly1305, libsodium WASM' };
}

export async function run(opts: { quick?: boolean } = {}): Promise<Row[]> {
  const quick = opts.quick ?? process.env.BENCH_QUICK === '1';
  const relay = await startRelay();
  const rows: Row[] = [];
  const vaults: VaultApi[] = [];
  try {
    const devA = simDevice('bench-a');
    const { vault: a, kit } = await devA.launcher.createTeam({ displayName: 'Owner', teamName: 'Firm', relayUrl: relay.url, password: PW, deviceName: 'a' });
    vaults.push(a);
    const share = (await a.createShare('Bench')).id;
    await synced(a);
    const b = await simDevice('bench-b').launcher.signInNewDevice({ kit, password: PW, deviceName: 'b' });
    vaults.push(b);
    const lat = await editLatency(a, kit, share, quick ? 200 : 300);
    rows.push({ name: 'note edit → visible decrypted on 2nd device, p50', value: pct(lat, 50), unit: 'ms', note: `${lat.length} edits, loopback, 2nd device in its own thread` });
    rows.push({ name: 'note edit → visible decrypted on 2nd device, p99', value: pct(lat, 99), unit: 'ms', note: `max ${lat[lat.length - 1]!.toFixed(1)} ms` });
    const lat1 = await editLatencySameThread(a, b, share, quick ? 200 : 300);
    rows.push({ name: 'same, both devices in one thread, p50', value: pct(lat1, 50), unit: 'ms', note: 'one event loop for both (pessimistic)' });
    rows.push({ name: 'same, both devices in one thread, p99', value: pct(lat1, 99), unit: 'ms' });
    await b.lock();
    rows.push(...(await initialSync(a, kit, share, quick ? 2000 : 10_000)));
    const fshare = (await a.createShare('Files')).id;
    const size = (quick ? 64 : 256) * MiB;
    rows.push(...(await fileThroughput(a, simDevice('bench-dl', { cacheDownloads: false }), kit, fshare, size)));
    rows.push(await rawEncrypt(Math.min(size, 128 * MiB)));
  } finally {
    for (const v of vaults) await v.lock().catch(() => undefined);
    await relay.stop();
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await run()) console.log(`${r.name}: ${r.value.toFixed(2)} ${r.unit}${r.note ? ` (${r.note})` : ''}`);
}

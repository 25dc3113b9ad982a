/**
 * Relay limits benchmark (real `truhe-relay serve` processes, loopback), issue 15:
 *  - start-up time with 5 000 team files under `ulimit -n 1024` (spawn → "listening", and →
 *    first team served), idle RSS and open descriptors after 200 teams were used;
 *  - relay RSS while a socket that never reads asks 3 000 times for a 1 MiB chunk (peak over
 *    idle), and whether the relay closed it (4011).
 * Standalone: `npx tsx bench/relay-limits-bench.ts` (BENCH_QUICK=1: 1 000 teams).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeBinaryFrame } from '../protocol/index.js';
import { BenchClient, ROOT, rssKiB, setupTeam, sha256 } from './relay/common.js';
import { manyTeams } from '../test/integration/relay/helpers/many-teams.js';
import { randomBytes } from 'node:crypto';

interface Row { bench?: string; name: string; value: number; unit: string; note?: string }

function serve(dir: string, ulimitN?: number) {
  const argv = ['--import', 'tsx', 'sync-server/cli.ts', 'serve', '--port', '0', '--data', dir, '--log-level', 'warn', '--open-enrollment'];
  const t0 = performance.now();
  const proc = ulimitN
    ? spawn('bash', ['-c', `ulimit -n ${ulimitN} && exec "$0" "$@"`, process.execPath, ...argv], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] })
    : spawn(process.execPath, argv, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = new Promise<{ url: string; ms: number }>((resolve, reject) => {
    let buf = '';
    proc.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = /listening on (\S+)\n/.exec(buf);
      if (m) resolve({ url: m[1]!, ms: performance.now() - t0 });
    });
    proc.on('exit', (code) => reject(new Error(`relay exited ${code}`)));
  });
  return { proc, url, stop: () => new Promise<void>((r) => { proc.once('exit', () => r()); proc.kill('SIGTERM'); }) };
}

async function startupRows(n: number): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'truhe-bench-many-'));
  try {
    const { teams, owner } = await manyTeams(dir, n);
    const device = owner.device, priv = owner.deviceKeys.priv;
    const r = serve(dir, 1024);
    const { url, ms } = await r.url;
    const t0 = performance.now();
    const c = await BenchClient.connect(url, teams[n - 1]!, { method: 'device', id: device, priv });
    const firstMs = ms + (performance.now() - t0);
    c.ws.close();
    const clients = [];
    for (let i = 0; i < 200; i += 20) clients.push(...(await Promise.all(teams.slice(i, i + 20).map((t) => BenchClient.connect(url, t, { method: 'device', id: device, priv })))));
    const fds = readdirSync(`/proc/${r.proc.pid}/fd`).length;
    const rss = rssKiB(r.proc.pid!) / 1024;
    for (const x of clients) x.ws.close();
    await r.stop();
    const note = `${n} team files, ulimit -n 1024`;
    return [
      { name: `start-up to listening, ${n} teams`, value: ms, unit: 'ms', note: `${note}; includes node + tsx start` },
      { name: `start-up to first team served, ${n} teams`, value: firstMs, unit: 'ms', note },
      { name: 'open descriptors, 200 teams connected', value: fds, unit: 'fds', note: `${note}; limit 1024` },
      { name: `relay RSS, ${n} teams, 200 connected`, value: rss, unit: 'MiB', note },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function slowReaderRows(): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'truhe-bench-slow-'));
  const r = serve(dir);
  try {
    const { url } = await r.url;
    const t = await setupTeam(url);
    const chunk = randomBytes(1024 * 1024);
    const hash = sha256(chunk);
    const id = t.c.takeId();
    const put = await t.c.sendFrame(id, encodeBinaryFrame({ type: 'chunk.put', id, share: t.share, hash }, chunk));
    if (put.type !== 'ok') throw new Error(`chunk.put: ${JSON.stringify(put)}`);
    const idle = rssKiB(r.proc.pid!) / 1024;
    const slow = await BenchClient.connect(url, t.team, { method: 'device', id: t.device, priv: t.devKey.priv });
    slow.ws.pause();
    for (let i = 0; i < 3000; i++) slow.ws.send(JSON.stringify({ type: 'chunk.get', id: 10_000 + i, share: t.share, hash }));
    let peak = idle;
    const until = performance.now() + 17_000; // past the 15 s slow-reader timeout
    while (performance.now() < until) {
      await new Promise((res) => setTimeout(res, 50));
      peak = Math.max(peak, rssKiB(r.proc.pid!) / 1024);
    }
    const metrics = await fetch(url.replace('ws', 'http') + '/metrics').then((x) => x.text());
    const closed = /^truhe_overloaded_total\{reason="unread"\} (\d+)$/m.exec(metrics)?.[1] ?? '0';
    slow.ws.terminate();
    t.c.ws.close();
    return [
      { name: 'relay RSS, idle (1 team)', value: idle, unit: 'MiB' },
      { name: 'relay RSS peak, never-reading socket, 3000 x 1 MiB chunk.get', value: peak, unit: 'MiB', note: `+${(peak - idle).toFixed(0)} MiB over idle; ${closed === '1' ? 'closed 4011 after the 15 s slow-reader timeout' : 'NOT closed'}` },
    ];
  } finally {
    await r.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(o: { quick: boolean }): Promise<Row[]> {
  return [...(await startupRows(o.quick ? 1000 : 5000)), ...(await slowReaderRows())];
}

if (process.argv[1]?.endsWith('relay-limits-bench.ts')) {
  for (const row of await run({ quick: process.env.BENCH_QUICK === '1' })) console.log(`${row.name}: ${row.value.toFixed(1)} ${row.unit}${row.note ? ` (${row.note})` : ''}`);
}

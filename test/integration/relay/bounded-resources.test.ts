/**
 * Bounded resources (issue 15), against real relay processes with real files:
 * - 5 000 team files under `ulimit -n 1024`: the relay starts (it opens no team at start-up) and
 *   its open descriptors stay below the limit while clients of hundreds of teams sync;
 * - a socket that never reads sends thousands of `chunk.get` for a 1 MiB chunk: relay RSS stays
 *   under a fixed ceiling and the socket is closed 4011 with its reason.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { connectDevice, createShare, createTeam, randomBytes, record, sha256 } from './helpers/fixtures.js';
import { startProcess, tempDir, type RelayProcess } from './helpers/relay-harness.js';
import { manyTeams } from './helpers/many-teams.js';

const dirs: string[] = [];
const procs: RelayProcess[] = [];
afterAll(async () => {
  for (const p of procs) if (p.proc.exitCode === null) await p.kill9();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const fdCount = (pid: number) => readdirSync(`/proc/${pid}/fd`).length;
const rssBytes = (pid: number) => Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;
const MiB = 1024 * 1024;

describe('bounded resources (real relay process)', () => {
  it('5 000 team files under ulimit -n 1024: starts, and descriptors stay below the limit while 300 teams sync', async () => {
    const d = tempDir('many');
    dirs.push(d);
    const { teams, owner } = await manyTeams(d, 5000);
    const t0 = performance.now();
    const p = await startProcess(d, [], { ulimitN: 1024 });
    procs.push(p);
    const startMs = performance.now() - t0;
    const pid = p.proc.pid!;
    expect(readFileSync(`/proc/${pid}/limits`, 'utf8')).toMatch(/^Max open files\s+1024\s/m);
    let maxFds = fdCount(pid);
    const sampler = setInterval(() => { maxFds = Math.max(maxFds, fdCount(pid)); }, 20);
    const clients = [];
    // 300 teams, 30 at a time, every connection kept open: each creates a share, pushes, pulls
    for (let b = 0; b < 10; b++) {
      clients.push(...(await Promise.all(teams.slice(b * 30 + 1, b * 30 + 31).map(async (team) => {
        const { c, first } = await connectDevice(p.url, team, owner);
        expect(first.type).toBe('welcome');
        const log = await createShare(c, owner);
        const rec = record({ kind: 'account', id: owner.account });
        expect((await c.request({ type: 'push', share: log.share, records: [rec] })).type).toBe('ok');
        const pulled = await c.request({ type: 'pull', share: log.share, since: 0 });
        expect(pulled.records.map((r: { item: string }) => r.item)).toEqual([rec.item]);
        return c;
      }))));
    }
    clearInterval(sampler);
    maxFds = Math.max(maxFds, fdCount(pid));
    const metrics = await fetch(`http://127.0.0.1:${p.port}/metrics`).then((r) => r.text());
    const open = Number(/^truhe_teams_open (\d+)$/m.exec(metrics)![1]);
    console.log(`5000 teams, ulimit -n 1024: start-up ${startMs.toFixed(0)} ms, max open descriptors ${maxFds}, team databases open ${open}, 300 connections`);
    expect(clients.length).toBe(300);
    expect(maxFds).toBeLessThan(1024);
    expect(open).toBeLessThanOrEqual(Math.floor((1024 * 0.4) / 3));
    expect(metrics).toMatch(/^truhe_teams_unavailable 0$/m);
    for (const c of clients) c.close();
    expect(await p.stop()).toBe(0);
  }, 180_000);

  it('a socket that never reads asks for a 1 MiB chunk 3 000 times: RSS stays under a ceiling, the socket is closed 4011', async () => {
    const d = tempDir('slow');
    dirs.push(d);
    const p = await startProcess(d, ['--slow-reader-ms', '3000']);
    procs.push(p);
    const pid = p.proc.pid!;
    const { c, team, owner } = await createTeam(p.url);
    const log = await createShare(c, owner);
    const chunk = randomBytes(MiB);
    const hash = sha256(chunk);
    expect((await c.putChunk(log.share, hash, chunk)).type).toBe('ok');
    const one = await c.request({ type: 'chunk.get', share: log.share, hash });
    expect(one.binary.length).toBe(MiB);
    const baseline = rssBytes(pid);

    const { c: slow } = await connectDevice(p.url, team, owner);
    slow.ws.pause(); // never reads: answers pile up on the relay's side unless it holds back
    for (let i = 0; i < 3000; i++) slow.send({ type: 'chunk.get', id: 1000 + i, share: log.share, hash });
    let peak = rssBytes(pid);
    const until = performance.now() + 5000;
    while (performance.now() < until) {
      await new Promise((r) => setTimeout(r, 50));
      peak = Math.max(peak, rssBytes(pid));
    }
    console.log(`slow reader, 3000 x chunk.get of 1 MiB: relay RSS baseline ${(baseline / MiB).toFixed(0)} MiB, peak ${(peak / MiB).toFixed(0)} MiB`);
    expect(peak).toBeLessThan(baseline + 96 * MiB);
    slow.ws.resume();
    const closing = await slow.next((m) => m.type === 'closing');
    expect(closing).toMatchObject({ code: 4011, reason: 'overloaded: answers left unread' });
    expect((await slow.closed).code).toBe(4011);
    const metrics = await fetch(`http://127.0.0.1:${p.port}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/^truhe_overloaded_total\{reason="unread"\} 1$/m);
    // the relay and the team's other connection carry on
    expect((await c.request({ type: 'chunk.get', share: log.share, hash })).binary.length).toBe(MiB);
    c.close();
    expect(await p.stop()).toBe(0);
  }, 60_000);
});

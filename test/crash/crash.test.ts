/**
 * Crash tests with real processes (kill -9): a client device running the core in its own Node
 * process, and the relay process, each killed at seeded random points of note pushes, file
 * uploads, and key rotation + re-encryption. After the crash (and a relay restart), a fresh
 * device signs in and pulls, and the relay's SQLite files are checked:
 *   - every change the crashed client saw acknowledged is present (same or newer version, same
 *     content hash) and decrypts on the fresh device;
 *   - no item is half-rotated: every epoch in the log has a wrap for every member, every record
 *     is of a logged epoch, and the fresh device opens every listed item;
 *   - no committed record lacks a chunk; unreferenced chunks are only those of the one upload
 *     the kill interrupted, and the relay's orphan sweep removes them: restarted with a short
 *     grace period and sweep interval, none is left after grace + interval, while every
 *     committed file still reads byte-identical.
 * Trials are few (2 client kills + 1 relay kill per operation) to keep `npm test` short.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relayAvailable, startRelay, type RelayProcess } from '../integration/sync/helpers/relay.js';
import { simDevice, waitFor } from '../integration/sync/helpers/devices.js';
import { teamDbFiles } from '../hostile/harness.js';
import type { EmergencyKit, VaultApi } from '../../core/vault-api.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
interface Ack { kind: 'note' | 'file'; item: string; version: number; sha: string }

/** Seeded PRNG (mulberry32) for kill points. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Child {
  readonly proc: ChildProcess;
  kit: { kit: EmergencyKit; password: string; share: string } | null = null;
  readonly acks: Ack[] = [];
  rotations = 0;
  done = false;
  private waiters: (() => void)[] = [];
  exited: Promise<void>;
  constructor(url: string, mode: string, count: number) {
    this.proc = spawn(process.execPath, ['--import', 'tsx', 'test/crash/child-client.ts', url, mode, String(count)], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let buf = '';
    this.proc.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        const [tag, ...rest] = line.split(' ');
        const v = rest.length ? JSON.parse(rest.join(' ')) : undefined;
        if (tag === 'KIT') this.kit = v;
        else if (tag === 'ACK') this.acks.push(v);
        else if (tag === 'ROT') this.rotations++;
        else if (tag === 'DONE') this.done = true;
        for (const w of this.waiters.splice(0)) w();
      }
    });
    this.proc.stderr!.resume();
    this.exited = new Promise((r) => this.proc.once('exit', () => { for (const w of this.waiters.splice(0)) w(); r(); }));
  }
  /** Wait (bounded) until pred holds, or the child exits. */
  async until(pred: () => boolean, what: string, limitMs = 60_000): Promise<void> {
    const end = Date.now() + limitMs;
    while (!pred()) {
      if (this.proc.exitCode !== null || this.proc.signalCode !== null) throw new Error(`child exited before ${what}`);
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((r) => { this.waiters.push(r); setTimeout(r, 500); });
    }
  }
  async kill9(): Promise<void> {
    this.proc.kill('SIGKILL');
    await this.exited;
  }
}

/** Relay-side invariants on every team database. Returns the count of unreferenced chunks. */
function relayInvariants(dataDir: string): { orphans: number; records: number } {
  let orphans = 0;
  let records = 0;
  for (const f of teamDbFiles(dataDir)) {
    const db = new Database(join(dataDir, f), { readonly: true });
    try {
      // heads point at stored records
      expect(db.prepare('SELECT count(*) FROM items i WHERE NOT EXISTS (SELECT 1 FROM records r WHERE r.share = i.share AND r.item = i.item AND r.version = i.version)').pluck().get()).toBe(0);
      // every committed record has all its chunks
      for (const r of db.prepare("SELECT share, chunks FROM records WHERE kind = 'file'").all() as { share: string; chunks: string }[]) {
        for (const h of JSON.parse(r.chunks) as string[]) expect(db.prepare('SELECT 1 FROM chunks WHERE share = ? AND hash = ?').get(r.share, h), 'chunk of a committed record').toBeTruthy();
      }
      // no half-rotation: every logged epoch has a wrap for every member; records only of logged epochs
      for (const s of db.prepare('SELECT id, epoch, log_len FROM shares').all() as { id: string; epoch: number; log_len: number }[]) {
        expect(db.prepare('SELECT count(*) FROM log WHERE share = ?').pluck().get(s.id)).toBe(s.log_len);
        const members = db.prepare('SELECT account FROM members WHERE share = ?').pluck().all(s.id) as string[];
        for (let e = 0; e <= s.epoch; e++) {
          for (const m of members) expect(db.prepare("SELECT 1 FROM wraps WHERE share = ? AND epoch = ? AND to_kind = 'account' AND to_id = ?").get(s.id, e, m), `wrap e${e}`).toBeTruthy();
        }
        expect(db.prepare('SELECT count(*) FROM records WHERE share = ? AND epoch > ?').pluck().get(s.id, s.epoch)).toBe(0);
      }
      orphans += db.prepare('SELECT count(*) FROM chunks c WHERE NOT EXISTS (SELECT 1 FROM chunk_refs r WHERE r.share = c.share AND r.hash = c.hash)').pluck().get() as number;
      records += db.prepare('SELECT count(*) FROM records').pluck().get() as number;
    } finally {
      db.close();
    }
  }
  return { orphans, records };
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  const r = stream.getReader();
  for (;;) { const { done, value } = await r.read(); if (done) break; parts.push(value); }
  return Buffer.concat(parts);
}

/** A fresh device signs in and must hold every acknowledged change (version ≥ acked; content = acked when equal). */
async function verifyOnFreshDevice(relay: RelayProcess, child: Child): Promise<void> {
  const { kit, password, share } = child.kit!;
  const v: VaultApi = await simDevice(`fresh-${Date.now()}-${Math.random()}`).launcher.signInNewDevice({ kit: { ...kit, relayUrl: relay.url }, password, deviceName: 'fresh' });
  try {
    const last = new Map<string, Ack>();
    for (const a of child.acks) last.set(a.item, a);
    const items = await waitFor(v, async () => {
      const list = await v.listItems(share);
      return [...last.values()].every((a) => list.some((i) => i.id === a.item && i.version >= a.version)) ? list : undefined;
    }, 'every acknowledged change on the fresh device');
    for (const a of last.values()) {
      const it = items.find((i) => i.id === a.item)!;
      if (a.kind === 'note') {
        const body = (await v.readNote(share, a.item)).body;
        if (it.version === a.version) expect(createHash('sha256').update(body).digest('hex')).toBe(a.sha);
      } else {
        expect(createHash('sha256').update(await readAll(v.readFile(share, a.item))).digest('hex')).toBe(a.sha);
      }
    }
    // nothing half-rotated: every listed item opens
    for (const i of items) if (i.kind === 'note') await v.readNote(share, i.id);
  } finally {
    await v.lock();
  }
}

const MODES = [
  { mode: 'push', count: 400, minAcks: 4 },
  { mode: 'upload', count: 40, minAcks: 1 },
  { mode: 'rotate', count: 40, minAcks: 8 },
] as const;

describe.skipIf(!relayAvailable)('crash: kill -9 of client and relay (real processes)', () => {
  let relay: RelayProcess;
  const figures: string[] = [];
  beforeAll(async () => { relay = await startRelay(); });
  afterAll(async () => {
    console.log(`crash trials:\n  ${figures.join('\n  ')}`);
    await relay?.stop();
  });

  for (const { mode, count, minAcks } of MODES) {
    for (const seed of [1, 2]) {
      it(`client killed during ${mode} (seed ${seed}): every acknowledged change survives`, async () => {
        const r = rng(seed * 101 + mode.length);
        const orphansBefore = relayInvariants(relay.dataDir).orphans;
        const child = new Child(relay.url, mode, count);
        try {
          const target = minAcks + Math.floor(r() * 6);
          await child.until(() => child.acks.length >= target && (mode !== 'rotate' || child.rotations >= 1), `${target} acks`);
          await new Promise((res) => setTimeout(res, Math.floor(r() * 150))); // land somewhere inside the next operation
        } finally {
          await child.kill9();
        }
        expect(child.done).toBe(false); // it really died mid-run
        const inv = relayInvariants(relay.dataDir);
        await verifyOnFreshDevice(relay, child);
        figures.push(`client kill, ${mode}, seed ${seed}: ${child.acks.length} acks, ${child.rotations} rotations, ${inv.records} records, ${inv.orphans} unreferenced chunks (all teams so far)`);
        // only a killed upload may leave unreferenced chunks, at most one file's worth (≤ 3 chunks)
        expect(inv.orphans - orphansBefore).toBeLessThanOrEqual(mode === 'upload' ? 3 : 0);
      });
    }

    it(`relay killed during ${mode}, restarted: the client finishes and nothing acknowledged is lost`, async () => {
      const r = rng(7 + mode.length);
      const child = new Child(relay.url, mode, mode === 'push' ? 30 : mode === 'upload' ? 4 : 2);
      try {
        await child.until(() => child.acks.length >= minAcks, 'first acks');
        await new Promise((res) => setTimeout(res, Math.floor(r() * 150)));
        await relay.kill();
        const acksAtKill = child.acks.length;
        await relay.restart();
        await child.until(() => child.done, 'the client to finish after the relay restart', 120_000);
        figures.push(`relay kill, ${mode}: ${acksAtKill} acks before the kill, ${child.acks.length} at the end`);
      } finally {
        if (!child.done) await child.kill9();
        await child.exited;
      }
      relayInvariants(relay.dataDir);
      await verifyOnFreshDevice(relay, child);
    });
  }

  it('unreferenced chunks exist only as leftovers of killed uploads, and the orphan sweep removes them within grace + interval', async () => {
    const { orphans } = relayInvariants(relay.dataDir);
    // each killed upload interrupts at most one file of ≤ 3 chunks (2 MiB + a little, 1 MiB chunks)
    expect(orphans).toBeLessThanOrEqual(2 * 3);
    const GRACE = 4000, INTERVAL = 300; // grace well above a restart under load: the injected orphan must survive the start-up sweep
    await relay.kill();
    // plus one orphan uploaded "just now" (as a client that dies before pushing its record leaves it)
    const db = new Database(join(relay.dataDir, teamDbFiles(relay.dataDir)[0]!));
    const share = db.prepare('SELECT id FROM shares LIMIT 1').pluck().get() as string;
    db.prepare('INSERT INTO chunks (share, hash, data, added) VALUES (?,?,?,?)').run(share, 'orphan-'.padEnd(43, 'x'), Buffer.alloc(1000, 7), Date.now());
    db.close();
    await relay.restart(['--orphan-grace-ms', String(GRACE), '--sweep-interval-ms', String(INTERVAL)]);
    const t0 = Date.now();
    expect(relayInvariants(relay.dataDir).orphans).toBeGreaterThanOrEqual(1); // young: kept through the start-up sweep
    let left = orphans + 1;
    while (left > 0 && Date.now() - t0 < GRACE + INTERVAL + 5000) {
      await new Promise((res) => setTimeout(res, 100));
      left = relayInvariants(relay.dataDir).orphans;
    }
    figures.push(`orphan sweep: ${orphans + 1} unreferenced chunks → ${left} after ${Date.now() - t0} ms (grace ${GRACE} ms, interval ${INTERVAL} ms)`);
    expect(left).toBe(0);
    expect(Date.now() - t0).toBeLessThan(GRACE + INTERVAL + 5000);
    relayInvariants(relay.dataDir); // every committed record still has all its chunks
  });
});

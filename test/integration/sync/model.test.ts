/**
 * A randomized model test of sync (issue 14), seeded and bounded. Three devices of one account
 * against a real relay (in this process, SQLite files, real sockets) run a random sequence of:
 * edits (each inserts a unique token line into a new or existing note, at a random line — so
 * clean merges and same-line conflicts both happen), devices going offline and back, relay
 * restarts, backups, restores from an earlier backup (a new relay generation, sequence numbers
 * handed out again) and clock jumps (a device's clock; the relay's clock followed by an orphan
 * sweep with grace 0). After quiescence (all online, every outbox empty) the invariant holds:
 * every token any device wrote is in some note — the head, merged into it, or a conflicted
 * copy — and all devices show exactly the same notes with the same text.
 *
 * MODEL_SEED=<n> replays one seed (MODEL_SEED=random picks one); MODEL_RUNS / MODEL_STEPS enlarge
 * the run outside `npm test`; MODEL_DEBUG=1 prints every op and, on failure, each device's view.
 * The seed is printed on failure.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupDataDir, restoreDataDir } from '../../../sync-server/backup.js';
import { createRelay, type Relay } from '../../../sync-server/relay.js';
import { createSqliteStorage } from '../../../sync-server/storage/sqlite/index.js';
import type { RelayStorage } from '../../../sync-server/storage/types.js';
import { systemClock, type Clock } from '../../../core/sync/clock.js';
import type { SyncStatus, VaultApi } from '../../../core/vault-api.js';
import { sessionOf } from '../../../core/vault/api.js';
import { simDevice, synced, waitFor, type SimDevice } from './helpers/devices.js';
import { newBackupKeyPair, parsePublicKey, parseSecretKey } from '../../../sync-server/backup-crypto.js';

/** The operator key the backups of this test are encrypted to. */
const BACKUP_KEYS = newBackupKeyPair();

const RUNS = Number(process.env.MODEL_RUNS ?? 6);
const STEPS = Number(process.env.MODEL_STEPS ?? 14);
// npm test runs a fixed seed (reproducible); MODEL_SEED=random explores new ones.
const SEED = process.env.MODEL_SEED === 'random' ? Date.now() % 2 ** 31 : Number(process.env.MODEL_SEED ?? 7);
const DEVICES = 3;
const DAY = 24 * 3600 * 1000;
const PW = 'model test password';

/** The relay process stand-in: stop / start on the same port, over a data directory that can change (restore). */
class RelayBox {
  relay!: Relay;
  storage!: RelayStorage;
  port = 0;
  skew = 0;
  up = false;
  constructor(public dir: string) {}
  get url() { return `ws://127.0.0.1:${this.port}`; }
  async start(): Promise<void> {
    this.storage = createSqliteStorage({ dir: this.dir });
    this.relay = await createRelay({ openEnrollment: true,
      storage: this.storage, port: this.port, host: '127.0.0.1', log: pino({ level: 'silent' }),
      clock: { now: () => Date.now() + this.skew }, limits: { orphanGraceMs: 0, sweepIntervalMs: 24 * 3600 * 1000 },
    });
    this.port = this.relay.port;
    this.up = true;
  }
  async stop(): Promise<void> {
    if (!this.up) return;
    this.up = false;
    await this.relay.close();
    await this.storage.close();
  }
}

function skewed(offset: { ms: number }): Clock {
  return { ...systemClock, now: () => Date.now() + offset.ms };
}

type Op =
  | { t: 'edit'; dev: number; pick: number; pos: number }
  | { t: 'offline' | 'online'; dev: number }
  | { t: 'restart' }
  | { t: 'backup' }
  | { t: 'restore'; pick: number }
  | { t: 'clock'; dev: number; ms: number }
  | { t: 'relayClock'; ms: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ t: fc.constant('edit' as const), dev: fc.nat(DEVICES - 1), pick: fc.nat(6), pos: fc.nat(20) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('offline' as const), dev: fc.nat(DEVICES - 1) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('online' as const), dev: fc.nat(DEVICES - 1) }) },
  { weight: 1, arbitrary: fc.constant({ t: 'restart' as const }) },
  { weight: 2, arbitrary: fc.constant({ t: 'backup' as const }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('restore' as const), pick: fc.nat(5) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('clock' as const), dev: fc.nat(DEVICES - 1), ms: fc.integer({ min: -DAY, max: 30 * DAY }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('relayClock' as const), ms: fc.integer({ min: DAY, max: 30 * DAY }) }) },
);

let box: RelayBox;
const devs: SimDevice[] = [];
const vaults: VaultApi[] = [];
const skews = Array.from({ length: DEVICES }, () => ({ ms: 0 }));
let tokenSeq = 0;
const errors: string[][] = Array.from({ length: DEVICES }, () => []);
let runSeq = 0;

beforeAll(async () => {
  box = new RelayBox(mkdtempSync(join(tmpdir(), 'truhe-model-')));
  await box.start();
  for (let i = 0; i < DEVICES; i++) devs.push(simDevice(`model-${process.pid}-${i}`, { clock: skewed(skews[i]!) }));
  const created = await devs[0]!.launcher.createTeam({ displayName: 'Owner', teamName: 'Firm', relayUrl: box.url, password: PW, deviceName: 'd0' });
  vaults.push(created.vault);
  for (let i = 1; i < DEVICES; i++) vaults.push(await devs[i]!.launcher.signInNewDevice({ kit: created.kit, password: PW, deviceName: `d${i}` }));
  // Every typed error each device reported (printed with MODEL_DEBUG when a run fails).
  vaults.forEach((v, i) => v.onStatus((st) => { if (st.lastError && errors[i]!.at(-1) !== st.lastError.message) errors[i]!.push(st.lastError.message); }));
}, 120_000);

afterAll(async () => {
  for (const v of vaults) await v.lock().catch(() => undefined);
  await box?.stop();
});

/** item → "title\nbody" of every note of the share on `v`. */
async function notesOf(v: VaultApi, share: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const i of await v.listItems(share)) {
    if (i.kind !== 'note') continue;
    const n = await v.readNote(share, i.id);
    out.set(i.id, `${n.title}\n${n.body}`);
  }
  return out;
}

async function apply(op: Op, share: string, tokens: Set<string>, backups: string[]): Promise<void> {
  switch (op.t) {
    case 'edit': {
      const v = vaults[op.dev]!;
      const tok = `tok-${++tokenSeq}`;
      tokens.add(tok);
      const notes = (await v.listItems(share)).filter((i) => i.kind === 'note').sort((a, b) => a.id.localeCompare(b.id));
      const pick = notes[op.pick % (notes.length + 2)];
      const dbg = (m: string) => { if (process.env.MODEL_DEBUG) console.log(`${tok} d${op.dev}: ${m}`); };
      if (!pick) return void dbg(`new ${await v.saveNote(share, { title: `note ${tok}`, body: tok, tags: [] })}`);
      // The note can vanish for a moment while sync replaces it (rollback recovery): pick again.
      const n = await v.readNote(share, pick.id).catch(() => null);
      if (!n) return void (await v.saveNote(share, { title: `note ${tok}`, body: tok, tags: [] }));
      const lines = n.body.split('\n');
      lines.splice(op.pos % (lines.length + 1), 0, tok);
      // As the editor does: the save names the text it started from (a change pulled meanwhile is merged, not overwritten).
      const r = await v.saveNoteEdit(share, { ...n, body: lines.join('\n') }, pick.id, n);
      dbg(`${pick.id} ${JSON.stringify(n.body)} → ${r.outcome} ${r.item} ${JSON.stringify(r.note.body)}`);
      return;
    }
    case 'offline':
      devs[op.dev]!.offline = true;
      devs[op.dev]!.dropConnections();
      return;
    case 'online':
      devs[op.dev]!.offline = false;
      return;
    case 'restart':
      await box.stop();
      await box.start();
      return;
    case 'backup': {
      const out = join(mkdtempSync(join(tmpdir(), 'truhe-model-bak-')), 'snap');
      await backupDataDir(box.dir, out, parsePublicKey(BACKUP_KEYS.publicText));
      backups.push(out);
      return;
    }
    case 'restore': {
      const from = backups[op.pick % Math.max(1, backups.length)];
      if (!from) return;
      await box.stop();
      box.dir = mkdtempSync(join(tmpdir(), 'truhe-model-restored-'));
      restoreDataDir(from, box.dir, false, parseSecretKey(BACKUP_KEYS.secretText));
      await box.start();
      return;
    }
    case 'clock':
      skews[op.dev]!.ms += op.ms;
      return;
    case 'relayClock':
      box.skew += op.ms;
      await box.relay.maintenance();
      return;
  }
}

/**
 * All online, outboxes empty, then every device shows the same notes holding every token. The
 * state is polled (every 200 ms, at most 45 s): a device that catches up while the others stay
 * quiet emits no event on them, so waiting on one device's events alone would miss it.
 */
async function quiesce(share: string, tokens: Set<string>): Promise<void> {
  for (const d of devs) d.offline = false;
  const deadline = Date.now() + 45_000;
  let last = '';
  for (;;) {
    for (const v of vaults) await synced(v);
    // A note can vanish for a moment while sync replaces it: that read counts as "not yet".
    const views = await Promise.all(vaults.map((v) => notesOf(v, share))).catch(() => null);
    if (!views) {
      if (Date.now() > deadline) throw new Error('timed out waiting for quiescence: a note stayed unreadable');
      await new Promise((r) => setTimeout(r, 200));
      continue;
    }
    const text = [...views[0]!.values()].join('\n');
    const missing = [...tokens].filter((t) => !new RegExp(`(^|\\n)${t}(\\n|$)`).test(text));
    const same = views.every((m) => m.size === views[0]!.size && [...m].every(([k, b]) => views[0]!.get(k) === b));
    if (missing.length === 0 && same) return;
    if (process.env.MODEL_DEBUG) {
      const states = await Promise.all(vaults.map(async (v) => ({ sync: await sessionOf(v).store.getSyncState(share as never), st: await new Promise<SyncStatus>((r) => { const u = v.onStatus((st) => { queueMicrotask(() => u()); r(st); }); }), socks: devs[vaults.indexOf(v)]!.sockets.size })));
      last = JSON.stringify(views.map((m) => [...m])) + JSON.stringify(states) + JSON.stringify(errors.map((e) => e.slice(-6)));
    }
    else last = `missing ${missing.join(',') || '-'}; sizes ${views.map((m) => m.size).join('/')}; agree ${same}`;
    if (Date.now() > deadline) throw new Error(`timed out waiting for quiescence: ${last}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('sync model (seeded random devices, outages, relay restarts, restores, clock jumps)', () => {
  it(`keeps every edit on every device (seed ${SEED}, ${RUNS} runs × ≤${STEPS} steps, ${DEVICES} devices)`, async () => {
    try {
      await fc.assert(fc.asyncProperty(fc.array(opArb, { minLength: 4, maxLength: STEPS }), async (ops) => {
        const share = (await vaults[0]!.createShare(`model ${++runSeq}`)).id;
        await synced(vaults[0]!);
        for (const v of vaults.slice(1)) await waitFor(v, async () => ((await v.listShares()).some((s) => s.id === share) ? true : undefined), 'share on every device');
        const tokens = new Set<string>();
        const backups: string[] = [];
        for (const op of ops) {
          if (process.env.MODEL_DEBUG) console.log(`op ${JSON.stringify(op)}`);
          await apply(op, share, tokens, backups);
        }
        await quiesce(share, tokens);
        const views = await Promise.all(vaults.map((v) => notesOf(v, share)));
        for (const v of views) expect(v).toEqual(views[0]);
        if (process.env.MODEL_VERBOSE) console.log(`run ${runSeq}: ${ops.map((o) => o.t).join(' ')} → ${tokens.size} tokens in ${views[0]!.size} notes`);
      }), { seed: SEED, numRuns: RUNS, endOnFailure: true });
    } catch (e) {
      console.error(`sync model failed; replay with MODEL_SEED=${SEED}`);
      throw e;
    }
  }, 240_000);
});

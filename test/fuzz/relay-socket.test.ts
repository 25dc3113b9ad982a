/**
 * The REAL relay process (sync-server/cli.ts serve, as deployed) fed arbitrary frames over a
 * real loopback socket: random text, random JSON, mutated valid messages of every type, random
 * and near-valid binary frames; before auth and inside an authenticated device session whose
 * share is real (so mutations reach the handlers, not only the schemas). Every frame must be
 * answered — an `error` with a code from ERROR_CODES, an `ok`/`conflict`/`challenge` for what
 * is still valid — or end in a clean close with a protocol close code; never silence (a hang).
 * Afterwards the process is alive and serves a normal client (the real core) end to end.
 */
import fc from 'fast-check';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES, parseClientMessage } from '../../protocol/index.js';
import { relayAvailable, startRelay, type RelayProcess } from '../integration/sync/helpers/relay.js';
import { simDevice, synced } from '../integration/sync/helpers/devices.js';
import { connectDevice, createShare, createTeam, type Member } from '../integration/relay/helpers/fixtures.js';
import { binaryFrames, CLIENT_SAMPLES, IO_RUNS, SAMPLE_SHARE, textFrames } from './common.js';

const CODES = new Set<string>(ERROR_CODES);
/** Close codes a relay may use: normal, too big, and the protocol's 4000–4010. */
const CLOSES = new Set([1000, 1009, 4000, 4001, 4002, 4003, 4004, 4005, 4006, 4007, 4008, 4009, 4010]);
/** Liveness bound per frame (not a performance assertion): silence this long = a hang. */
const ANSWER_MS = 10_000;

class Raw {
  readonly ws: WebSocket;
  private queue: { text?: string; binary?: boolean; close?: number }[] = [];
  private wake: (() => void) | null = null;
  closed = false;
  constructor(url: string) {
    this.ws = new WebSocket(url, { maxPayload: 4 * 1024 * 1024 });
    this.ws.on('message', (d: Buffer, bin: boolean) => { this.queue.push(bin ? { binary: true } : { text: d.toString('utf8') }); this.wake?.(); });
    this.ws.on('close', (code: number) => { this.closed = true; this.queue.push({ close: code }); this.wake?.(); });
    this.ws.on('error', () => undefined);
  }
  opened(): Promise<void> {
    return new Promise((r, j) => { this.ws.once('open', () => r()); this.ws.once('error', j); });
  }
  async next(): Promise<{ text?: string; binary?: boolean; close?: number }> {
    const deadline = Date.now() + ANSWER_MS;
    while (this.queue.length === 0) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('relay did not answer (hang)');
      await new Promise<void>((r) => { this.wake = r; setTimeout(r, left); });
      this.wake = null;
    }
    return this.queue.shift()!;
  }
}

/** Sends one frame; asserts a typed answer or a clean close. Returns false if the socket closed. */
async function probe(c: Raw, frame: string | Uint8Array, stats: Map<string, number>): Promise<boolean> {
  c.ws.send(frame);
  for (;;) {
    const m = await c.next();
    if (m.close !== undefined) {
      expect(CLOSES.has(m.close), `close code ${m.close}`).toBe(true);
      stats.set(`close ${m.close}`, (stats.get(`close ${m.close}`) ?? 0) + 1);
      return false;
    }
    if (m.binary) { stats.set('binary', (stats.get('binary') ?? 0) + 1); return true; }
    const msg = JSON.parse(m.text!) as { type: string; code?: string };
    if (msg.type === 'changed' || msg.type === 'log') continue; // live notice, not the answer
    if (msg.type === 'closing') continue; // the close follows
    expect(['error', 'ok', 'conflict', 'challenge', 'welcome']).toContain(msg.type);
    if (msg.type === 'error') expect(CODES.has(msg.code!), `error code ${msg.code}`).toBe(true);
    const key = msg.type === 'error' ? `error ${msg.code}` : msg.type;
    stats.set(key, (stats.get(key) ?? 0) + 1);
    return true;
  }
}

/** Frames a pre-auth fuzz may send: never a schema-valid auth/team.create (those would only
 *  feed the relay's per-address rate limiter and lock this test's own address out). */
function preAuthSafe(t: string): boolean {
  const r = parseClientMessage(t);
  return !(r.ok && (r.value.type === 'auth' || r.value.type === 'team.create'));
}

describe.skipIf(!relayAvailable)('fuzz: real relay process over a real socket', () => {
  let relay: RelayProcess;
  let team: string;
  let owner: Member;
  let share: string;
  const stats = new Map<string, number>();

  beforeAll(async () => {
    relay = await startRelay();
    const t = await createTeam(relay.url);
    team = t.team;
    owner = t.owner;
    share = (await createShare(t.c, owner)).share;
    t.c.close();
  });
  afterAll(async () => {
    console.log('relay fuzz answers:', Object.fromEntries([...stats].sort()));
    await relay?.stop();
  });

  it('before auth: every frame → error with a code, a challenge, or a clean close', async () => {
    const frames = fc.oneof(
      textFrames(CLIENT_SAMPLES).filter(preAuthSafe),
      binaryFrames,
    );
    await fc.assert(fc.asyncProperty(fc.boolean(), fc.array(frames, { minLength: 1, maxLength: 4 }), async (hello, fs) => {
      const c = new Raw(relay.url);
      await c.opened();
      if (hello) expect(await probe(c, JSON.stringify({ type: 'hello', protocol: 2 }), stats)).toBe(true);
      for (const f of fs) if (!(await probe(c, f, stats))) break;
      c.ws.terminate();
    }), { numRuns: IO_RUNS });
  });

  it('inside a device session on a real share: every frame → typed answer or clean close', async () => {
    let c: Raw | null = null;
    const session = async (): Promise<Raw> => {
      const { c: tc, first } = await connectDevice(relay.url, team, owner);
      expect(first.type).toBe('welcome');
      tc.ws.removeAllListeners('message');
      tc.ws.removeAllListeners('close');
      const r = Object.create(Raw.prototype) as Raw;
      Object.assign(r, { ws: tc.ws, queue: [], wake: null, closed: false });
      tc.ws.on('message', (d: Buffer, bin: boolean) => { (r as any).queue.push(bin ? { binary: true } : { text: d.toString('utf8') }); (r as any).wake?.(); });
      tc.ws.on('close', (code: number) => { r.closed = true; (r as any).queue.push({ close: code }); (r as any).wake?.(); });
      return r;
    };
    const frames = fc.oneof(
      { weight: 3, arbitrary: textFrames(CLIENT_SAMPLES).map((t) => t.split(SAMPLE_SHARE).join(share)) },
      { weight: 1, arbitrary: binaryFrames },
    );
    await fc.assert(fc.asyncProperty(fc.array(frames, { minLength: 1, maxLength: 5 }), async (fs) => {
      for (const f of fs) {
        if (!c || c.closed) c = await session();
        if (!(await probe(c, f, stats))) c = null;
      }
    }), { numRuns: IO_RUNS });
    (c as Raw | null)?.ws.terminate();
  });

  it('afterwards the relay process is alive and a real client creates a team, writes and syncs', async () => {
    expect(relay.child.exitCode).toBeNull();
    expect(relay.child.signalCode).toBeNull();
    const { c, first } = await connectDevice(relay.url, team, owner);
    expect(first.type).toBe('welcome');
    expect((await c.request({ type: 'log.get', share, since: 0 })).type).toBe('ok');
    c.close();
    const dev = simDevice('fuzz-after');
    const { vault } = await dev.launcher.createTeam({ displayName: 'Owner', teamName: 'Firm', relayUrl: relay.url, password: 'pw after fuzz', deviceName: 'd' });
    const s = await vault.createShare('S');
    const item = await vault.saveNote(s.id, { title: 't', body: 'still serving', tags: [] });
    await synced(vault);
    expect((await vault.readNote(s.id, item)).body).toBe('still serving');
    await vault.lock();
    expect(stats.get('error BAD_FRAME') ?? 0).toBeGreaterThan(0);
  });
});

/**
 * The client's connection manager (core/sync/connection.ts) fed arbitrary relay frames:
 * before the challenge, during the handshake and while a request waits. Every case must end
 * with no exception escaping the socket handlers, no unhandled rejection, and the pending
 * request either still waiting, answered by a schema-valid `ok`/`conflict` carrying its id,
 * or rejected with a VaultError. A garbage frame makes the client drop the socket (it never
 * trusts it), and a typed `closing`/`wipe` is honoured.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Connection } from '../../core/sync/connection.js';
import type { Clock } from '../../core/sync/clock.js';
import type { WebSocketLike } from '../../core/sync/websocket.js';
import { VaultError } from '../../core/errors.js';
import { parseServerMessage } from '../../protocol/index.js';
import { b64, binaryFrames, mutated, RUNS, SERVER_SAMPLES, textFrames, type Json } from './common.js';

class FrozenClock implements Clock {
  timers = new Set<unknown>();
  now() { return 0; }
  setTimeout(fn: () => void, _ms: number) { const h = { fn }; this.timers.add(h); return h; }
  clearTimeout(h: unknown) { this.timers.delete(h); }
}

class FakeSocket implements WebSocketLike {
  binaryType = 'blob';
  readyState = 0;
  bufferedAmount = 0;
  sent: (string | Uint8Array)[] = [];
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  send(d: string | Uint8Array) { this.sent.push(d); }
  close() { this.readyState = 3; }
}

let unhandled: unknown[] = [];
const onUnhandled = (e: unknown) => { unhandled.push(e); };
beforeAll(() => { process.on('unhandledRejection', onUnhandled); });
afterAll(() => { process.off('unhandledRejection', onUnhandled); });

type Frame = { kind: 'text'; text: string } | { kind: 'bin'; bytes: Uint8Array } | { kind: 'close'; code: number };
const frame: fc.Arbitrary<Frame> = fc.oneof(
  { weight: 5, arbitrary: textFrames(SERVER_SAMPLES).map((text) => ({ kind: 'text' as const, text })) },
  { weight: 2, arbitrary: mutated(SERVER_SAMPLES).map((v) => ({ kind: 'text' as const, text: JSON.stringify(v) })) },
  { weight: 2, arbitrary: binaryFrames.map((bytes) => ({ kind: 'bin' as const, bytes })) },
  { weight: 1, arbitrary: fc.oneof(fc.integer({ min: 1000, max: 4999 }), fc.constantFrom(4000, 4002, 4005, 4006, 4007, 1006)).map((code) => ({ kind: 'close' as const, code })) },
);

async function runCase(stage: 'pre' | 'challenged' | 'online', frames: Frame[]): Promise<void> {
  const clock = new FrozenClock();
  const sockets: FakeSocket[] = [];
  const conn = new Connection({
    url: 'ws://127.0.0.1:1', clock, webSocketFactory: () => { const s = new FakeSocket(); sockets.push(s); return s; },
    authenticate: async () => ({ type: 'auth', method: 'device', team: 'AAAAAAAAAAAAAAAAAAAAAA', device: 'AAAAAAAAAAAAAAAAAAAAAA', sig: 'A'.repeat(86) }),
    onWipe: async () => new VaultError('WIPE_UNVERIFIED', 'fuzz: not verified'),
    requestTimeoutMs: 1_000,
  });
  conn.start();
  const ws = sockets[0]!;
  ws.readyState = 1;
  ws.onopen?.({});
  let outcome: { ok: unknown } | { err: unknown } | null = null;
  let req: Promise<unknown> | null = null;
  if (stage !== 'pre') {
    ws.onmessage?.({ data: JSON.stringify({ type: 'challenge', nonce: b64(32) }) });
    await new Promise((r) => setImmediate(r));
  }
  if (stage === 'online') {
    ws.onmessage?.({ data: JSON.stringify({ type: 'welcome', as: { kind: 'device', account: 'AAAAAAAAAAAAAAAAAAAAAA', device: 'AAAAAAAAAAAAAAAAAAAAAA', role: 'owner' }, shares: [] }) });
    expect(conn.state).toBe('online');
    req = conn.request({ type: 'pull', share: 'AAAAAAAAAAAAAAAAAAAAAA', since: 0 }).then((ok) => { outcome = { ok }; }, (err) => { outcome = { err }; });
  }
  for (const f of frames) {
    const handlers = ws; // frames keep arriving on the first socket, even after the client dropped it
    // point request ids at the pending request half of the time
    const text = f.kind === 'text' ? f.text.replace(/"id":\d+/, '"id":1') : '';
    expect(() => {
      if (f.kind === 'text') handlers.onmessage?.({ data: text });
      else if (f.kind === 'bin') handlers.onmessage?.({ data: f.bytes.buffer.slice(f.bytes.byteOffset, f.bytes.byteOffset + f.bytes.byteLength) });
      else { handlers.readyState = 3; handlers.onclose?.({ code: f.code, reason: 'fuzz' }); }
    }).not.toThrow();
  }
  await new Promise((r) => setImmediate(r));
  if (req) {
    const o = outcome as { ok: unknown } | { err: unknown } | null;
    if (o && 'err' in o) expect(o.err).toBeInstanceOf(VaultError);
    if (o && 'ok' in o) {
      const p = parseServerMessage(JSON.stringify(o.ok));
      expect(p.ok && (p.value.type === 'ok' || p.value.type === 'conflict')).toBe(true);
    }
  }
  if (conn.lastError) expect(conn.lastError).toBeInstanceOf(VaultError);
  conn.stop();
  await new Promise((r) => setImmediate(r));
}

describe('fuzz: client connection fed arbitrary relay frames', () => {
  for (const stage of ['pre', 'challenged', 'online'] as const) {
    it(`stage ${stage}: no escaping exception, typed outcome`, async () => {
      unhandled = [];
      await fc.assert(fc.asyncProperty(fc.array(frame, { minLength: 1, maxLength: 6 }), async (frames) => { await runCase(stage, frames); }), { numRuns: Math.ceil(RUNS / 2) });
      expect(unhandled).toEqual([]);
    });
  }

  it('a garbage frame while online drops the socket; a terminal close code is reported typed', async () => {
    const clock = new FrozenClock();
    const sockets: FakeSocket[] = [];
    const conn = new Connection({
      url: 'ws://127.0.0.1:1', clock, webSocketFactory: () => { const s = new FakeSocket(); sockets.push(s); return s; },
      authenticate: async () => ({ type: 'auth' }),
    });
    conn.start();
    const ws = sockets[0]!;
    ws.readyState = 1;
    ws.onopen?.({});
    ws.onmessage?.({ data: JSON.stringify({ type: 'challenge', nonce: b64(32) }) });
    await new Promise((r) => setImmediate(r));
    ws.onmessage?.({ data: JSON.stringify({ type: 'welcome', as: { kind: 'account', account: 'AAAAAAAAAAAAAAAAAAAAAA' }, shares: [] }) });
    const pending = conn.request({ type: 'keys.get' }).catch((e: unknown) => e);
    ws.onmessage?.({ data: '{"type":"ok","id":"1"}' }); // schema-invalid answer
    const err = await pending;
    expect(err).toBeInstanceOf(VaultError);
    expect((err as VaultError).code).toBe('RELAY_UNREACHABLE'); // dropped, not trusted
    expect(ws.readyState).toBe(3);
    expect(conn.state).toBe('offline');
    // a second socket, closed by the relay with 4005 (blocked) → MEMBER_BLOCKED, no reconnect
    for (const t of [...clock.timers]) { clock.timers.delete(t); (t as { fn: () => void }).fn(); }
    const ws2 = sockets[1]!;
    ws2.readyState = 3;
    ws2.onclose?.({ code: 4005, reason: 'blocked' });
    expect(conn.lastError?.code).toBe('MEMBER_BLOCKED');
    expect(clock.timers.size).toBe(0);
    conn.stop();
  });
});

export type { Json };

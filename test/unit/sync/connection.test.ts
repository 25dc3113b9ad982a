import { VaultError } from '../../../core/errors.js';
import { describe, expect, it } from 'vitest';
import { Connection } from '../../../core/sync/connection.js';
import type { Clock } from '../../../core/sync/clock.js';
import type { WebSocketLike } from '../../../core/sync/websocket.js';
import { isVaultError } from '../../../core/errors.js';

class ManualClock implements Clock {
  t = 0;
  timers = new Map<number, { at: number; fn: () => void }>();
  private n = 0;
  now() { return this.t; }
  setTimeout(fn: () => void, ms: number) { const id = ++this.n; this.timers.set(id, { at: this.t + ms, fn }); return id; }
  clearTimeout(h: unknown) { this.timers.delete(h as number); }
  /** Run due timers up to `ms` later. */
  advance(ms: number) {
    this.t += ms;
    for (const [id, tm] of [...this.timers].sort((a, b) => a[1].at - b[1].at)) {
      if (tm.at <= this.t && this.timers.has(id)) { this.timers.delete(id); tm.fn(); }
    }
  }
}

class FakeSocket implements WebSocketLike {
  binaryType = 'blob';
  readyState = 0;
  bufferedAmount = 0;
  sent: string[] = [];
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  send(d: string | Uint8Array) { this.sent.push(typeof d === 'string' ? d : '<binary>'); }
  close() { this.readyState = 3; }
  // server side
  open() { this.readyState = 1; this.onopen?.({}); }
  recv(msg: object) { this.onmessage?.({ data: JSON.stringify(msg) }); }
  serverClose(code: number, reason = '') { this.readyState = 3; this.onclose?.({ code, reason }); }
  last(): Record<string, unknown> { return JSON.parse(this.sent[this.sent.length - 1]!); }
}

const ACC = 'AAAAAAAAAAAAAAAAAAAAAA';
const DEV = 'BBBBBBBBBBBBBBBBBBBBBA';
const tick = () => new Promise((r) => setTimeout(r, 0));

function setup() {
  const clock = new ManualClock();
  const sockets: FakeSocket[] = [];
  const states: string[] = [];
  const conn = new Connection({
    url: 'ws://127.0.0.1:1', clock,
    webSocketFactory: () => { const s = new FakeSocket(); sockets.push(s); return s; },
    authenticate: async (nonce) => ({ type: 'auth', method: 'device', nonceLen: nonce.length }),
    backoff: { baseMs: 100, maxMs: 1000, minMs: 10, random: () => 0.5 },
    requestTimeoutMs: 5000,
  });
  conn.onState((s) => states.push(s));
  const handshake = async (s: FakeSocket) => {
    s.open();
    expect(s.last()).toEqual({ type: 'hello', protocol: 2 });
    s.recv({ type: 'challenge', nonce: 'A'.repeat(43) });
    await tick();
    expect(s.last()).toMatchObject({ type: 'auth', nonceLen: 32 });
    s.recv({ type: 'welcome', as: { kind: 'device', account: ACC, device: DEV, role: 'owner' }, shares: [] });
  };
  return { clock, sockets, states, conn, handshake };
}

describe('Connection', () => {
  it('authenticates, correlates answers by id, and times out', async () => {
    const { conn, sockets, handshake, clock } = setup();
    conn.start();
    await handshake(sockets[0]!);
    expect(conn.state).toBe('online');
    const a = conn.request({ type: 'pull', share: 's', since: 0 });
    const b = conn.request({ type: 'keys.get', share: 's' });
    const idA = JSON.parse(sockets[0]!.sent[2]!).id;
    const idB = JSON.parse(sockets[0]!.sent[3]!).id;
    sockets[0]!.recv({ type: 'ok', id: idB, which: 'b' });
    sockets[0]!.recv({ type: 'error', id: idA, code: 'NOT_ALLOWED', message: 'no' });
    await expect(b).resolves.toMatchObject({ which: 'b' });
    await expect(a).rejects.toMatchObject({ code: 'NOT_ALLOWED' });
    const c = conn.request({ type: 'pull' });
    clock.advance(5000);
    await expect(c).rejects.toMatchObject({ code: 'RELAY_UNREACHABLE' });
  });

  it('reconnects with backoff after a network drop and rejects in-flight requests', async () => {
    const { conn, sockets, handshake, clock, states } = setup();
    conn.start();
    await handshake(sockets[0]!);
    const p = conn.request({ type: 'pull' });
    sockets[0]!.serverClose(1006);
    await expect(p).rejects.toMatchObject({ code: 'RELAY_UNREACHABLE' });
    expect(conn.state).toBe('offline');
    expect(sockets).toHaveLength(1);
    clock.advance(49);
    expect(sockets).toHaveLength(1);
    clock.advance(1); // 0.5 × 100
    expect(sockets).toHaveLength(2);
    await handshake(sockets[1]!);
    expect(states).toEqual(['connecting', 'online', 'offline', 'connecting', 'online']);
  });

  it.each([
    [4002, 'CODE_ROTATED'], [4003, 'CODE_REVOKED'], [4004, 'CODE_EXPIRED'],
    [4006, 'DEVICE_WIPED'], [4007, 'PROTOCOL_MISMATCH'], [4008, 'RATE_LIMITED'],
  ] as const)('close %i → %s and no reconnect', async (code, expected) => {
    const { conn, sockets, handshake, clock } = setup();
    conn.start();
    await handshake(sockets[0]!);
    sockets[0]!.recv({ type: 'closing', code, reason: 'x' });
    sockets[0]!.serverClose(code, 'x');
    expect(conn.lastError?.code).toBe(expected);
    clock.advance(60_000);
    expect(sockets).toHaveLength(1);
    await expect(conn.whenOnline()).rejects.toMatchObject({ code: expected });
    await expect(conn.request({ type: 'pull' })).rejects.toMatchObject({ code: expected });
  });

  it('a wipe order runs onWipe and stays disconnected', async () => {
    const clock = new ManualClock();
    const sockets: FakeSocket[] = [];
    let wiped = 0;
    const conn = new Connection({
      url: 'ws://127.0.0.1:1', clock, webSocketFactory: () => { const s = new FakeSocket(); sockets.push(s); return s; },
      authenticate: async () => ({ type: 'auth' }), onWipe: async () => { wiped++; return new VaultError('DEVICE_WIPED', 'test: wiped'); },
    });
    conn.start();
    sockets[0]!.open();
    sockets[0]!.recv({ type: 'challenge', nonce: 'A'.repeat(43) });
    await tick();
    sockets[0]!.recv({ type: 'wipe' });
    await tick();
    sockets[0]!.serverClose(4006);
    expect(wiped).toBe(1);
    expect(conn.lastError?.code).toBe('DEVICE_WIPED');
    clock.advance(60_000);
    expect(sockets).toHaveLength(1);
  });

  it('drops the socket on a malformed frame instead of crashing', async () => {
    const { conn, sockets, handshake, clock } = setup();
    conn.start();
    await handshake(sockets[0]!);
    sockets[0]!.onmessage?.({ data: '{"type":"ok","id":-1}' });
    expect(conn.state).toBe('offline');
    clock.advance(1000);
    expect(sockets).toHaveLength(2);
    expect(isVaultError(conn.lastError)).toBe(false);
  });

  it('a connection lost during a pre-auth request is retried, not final', async () => {
    const clock = new ManualClock();
    const sockets: FakeSocket[] = [];
    const conn = new Connection({
      url: 'ws://127.0.0.1:1', clock, webSocketFactory: () => { const s = new FakeSocket(); sockets.push(s); return s; },
      authenticate: async (_n, pre) => { await pre.request({ type: 'account.kdf' }); return { type: 'auth' }; },
      backoff: { baseMs: 100, minMs: 10, random: () => 0.5 },
    });
    conn.start();
    sockets[0]!.open();
    sockets[0]!.recv({ type: 'challenge', nonce: 'A'.repeat(43) });
    await tick();
    expect(sockets[0]!.last()).toMatchObject({ type: 'account.kdf' });
    sockets[0]!.serverClose(1006);
    await tick();
    expect(conn.lastError).toBeUndefined();
    clock.advance(1000);
    expect(sockets).toHaveLength(2);
  });

  it('MEMBER_BLOCKED on a device session is reported, then it reconnects (other shares); before auth it is final', async () => {
    const { conn, sockets, handshake, clock } = setup();
    const errors: string[] = [];
    conn.onState((_s, e) => { if (e) errors.push(e.code); });
    conn.start();
    await handshake(sockets[0]!);
    sockets[0]!.recv({ type: 'closing', code: 4005, reason: 'member blocked' });
    sockets[0]!.serverClose(4005, 'member blocked');
    expect(errors).toEqual(['MEMBER_BLOCKED']);
    expect(conn.lastError).toBeUndefined();
    clock.advance(1000);
    expect(sockets).toHaveLength(2);
    sockets[1]!.open();
    sockets[1]!.serverClose(4005, 'member blocked'); // refused at auth: final
    expect(conn.lastError?.code).toBe('MEMBER_BLOCKED');
    clock.advance(60_000);
    expect(sockets).toHaveLength(2);
  });
});

describe('Connection keep-alive', () => {
  it('pings a silent relay, stays online when it answers, and drops + reconnects when it does not', async () => {
    const { conn, sockets, handshake, clock, states } = setup();
    conn.start();
    const s = sockets[0]!;
    await handshake(s);
    const sentTypes = () => s.sent.map((x) => (JSON.parse(x) as { type: string }).type);
    // the welcome counts as heard: the first tick sends nothing
    clock.advance(25_000);
    expect(sentTypes()).toEqual(['hello', 'auth']);
    // a whole period of silence: ping
    clock.advance(25_000);
    expect(s.last()).toMatchObject({ type: 'ping' });
    s.recv({ type: 'ok', id: s.last().id });
    await tick();
    clock.advance(25_000); // heard the answer: no ping
    expect(sentTypes()).toEqual(['hello', 'auth', 'ping']);
    // a relay that hears but never answers: the ping times out, the socket is dropped, a reconnect follows
    clock.advance(25_000);
    expect(sentTypes()).toEqual(['hello', 'auth', 'ping', 'ping']);
    clock.advance(25_000);
    await tick();
    expect(sentTypes()).toEqual(['hello', 'auth', 'ping', 'ping']); // no second ping while one is out
    expect(s.readyState).toBe(3);
    expect(states.slice(-2)).toEqual(['online', 'offline']);
    clock.advance(1000);
    expect(sockets.length).toBe(2);
    expect(conn.state).toBe('connecting');
    conn.stop();
    clock.advance(120_000); // nothing left running: no ping, no reconnect
    expect(sockets.length).toBe(2);
    expect(sockets[1]!.sent).toEqual([]);
    expect(conn.state).toBe('offline');
  });
});

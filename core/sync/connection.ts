/**
 * One connection manager per device (DESIGN.md §5): the socket's lifecycle (open, reconnect
 * with exponential backoff + jitter, stop) and the request API (send with a fresh `id`, await
 * the answer with a timeout). After a terminal refusal (rotated/revoked/expired code, blocked
 * member, wiped device, protocol too old, rate limited) it stays offline: reconnecting would
 * only be refused again (and, for a rate limit, make it worse). The parts, each in its file:
 *   auth-handshake.ts  `hello` → `challenge` → auth frame (pre-auth requests allowed)
 *   relay-inbound.ts   where each inbound frame goes (answers, refusals, notices, closing, wipe)
 *   request-table.ts   requests in flight by id, with their timeouts
 *   keepalive.ts       `ping` after silence; no answer drops the socket
 *   online-waiters.ts  whenOnline() callers
 *   close-codes.ts     close codes and relay error codes → typed VaultErrors
 */
import { VaultError, isVaultError } from '../errors.js';
import { answerChallenge, helloFrame } from './auth-handshake.js';
import { Backoff } from './backoff.js';
import { closeError, closeMeaning } from './close-codes.js';
import type { ConnectionOptions, ConnectionState, PreAuthChannel } from './connection-options.js';
import { DEFAULT_KEEPALIVE_MS, KeepAlive } from './keepalive.js';
import { OnlineWaiters } from './online-waiters.js';
import { dispatchRelayFrame, type InboundSink } from './relay-inbound.js';
import { RequestTable, type Answer } from './request-table.js';
import { encodeBinaryFrame, type ConflictMessage, type OkMessage, type Welcome } from './wire.js';
import { WS_OPEN, type WebSocketLike } from './websocket.js';

import { PROTOCOL_VERSION } from '../../protocol/index.js';
export { PROTOCOL_VERSION };
export type { Authenticate, ConnectionOptions, ConnectionState, PreAuthChannel } from './connection-options.js';

export class Connection {
  private ws: WebSocketLike | null = null;
  private stateValue: ConnectionState = 'offline';
  private stopped = true;
  private terminal: VaultError | undefined;
  private readonly requests: RequestTable;
  private readonly stateListeners = new Set<(s: ConnectionState, err?: VaultError) => void>();
  private readonly onlineWaiters = new OnlineWaiters();
  private readonly backoff: Backoff;
  private reconnectTimer: unknown = null;
  private welcome: Welcome | null = null;
  private readonly timeoutMs: number;
  private readonly keepalive: KeepAlive;

  constructor(private readonly opts: ConnectionOptions) {
    this.backoff = new Backoff(opts.backoff);
    this.requests = new RequestTable(opts.clock);
    this.timeoutMs = opts.requestTimeoutMs ?? 30_000;
    this.keepalive = new KeepAlive(opts.clock, opts.keepaliveMs ?? DEFAULT_KEEPALIVE_MS);
  }

  get state(): ConnectionState {
    return this.stateValue;
  }
  /** The terminal error that stopped the connection, if any. */
  get lastError(): VaultError | undefined {
    return this.terminal;
  }
  get session(): Welcome | null {
    return this.welcome;
  }

  /** Subscribe to state changes; returns unsubscribe. */
  onState(listener: (s: ConnectionState, err?: VaultError) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** Start connecting, and keep reconnecting until stop() or a terminal refusal. */
  start(): void {
    if (this.terminal) return;
    this.stopped = false;
    if (!this.ws && this.reconnectTimer === null) this.open();
  }

  /** Close and stop reconnecting. Pending requests reject with RELAY_UNREACHABLE. */
  stop(): void {
    this.stopped = true;
    this.keepalive.stop();
    if (this.reconnectTimer !== null) this.opts.clock.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.onclose = ws.onmessage = ws.onerror = ws.onopen = null;
      try { ws.close(1000, 'bye'); } catch { /* already closed */ }
    }
    const err = new VaultError('RELAY_UNREACHABLE', 'Connection.stop: connection closed');
    this.failAll(err);
    this.onlineWaiters.rejectAll(err);
    this.setState('offline');
  }

  /** Resolves with the session once online; rejects at once if stopped or refused for good. */
  whenOnline(): Promise<Welcome> {
    if (this.stateValue === 'online' && this.welcome) return Promise.resolve(this.welcome);
    if (this.terminal) return Promise.reject(this.terminal);
    if (this.stopped) return Promise.reject(new VaultError('RELAY_UNREACHABLE', 'Connection.whenOnline: not started'));
    return this.onlineWaiters.wait();
  }

  /** Send a request (a fresh `id` is added) and await `ok` (or `conflict`); `error` rejects. */
  request(msg: Record<string, unknown>, timeoutMs = this.timeoutMs): Promise<OkMessage> {
    return this.send(msg, timeoutMs, false).then((a) => {
      if (a instanceof Uint8Array || a.type !== 'ok') throw new VaultError('BAD_FORMAT', `Connection.request: unexpected answer to ${String(msg.type)}`);
      return a as OkMessage;
    });
  }

  /** Like request, but a `conflict` answer resolves instead of rejecting (push). */
  requestAllowConflict(msg: Record<string, unknown>, timeoutMs = this.timeoutMs): Promise<OkMessage | ConflictMessage> {
    return this.send(msg, timeoutMs, false).then((a) => {
      if (a instanceof Uint8Array) throw new VaultError('BAD_FORMAT', `Connection.request: binary answer to ${String(msg.type)}`);
      return a as OkMessage | ConflictMessage;
    });
  }

  /** Upload one chunk as a binary `chunk.put` frame; resolves on the relay's `ok`. */
  putChunk(share: string, hash: string, bytes: Uint8Array | Blob, timeoutMs = this.timeoutMs): Promise<OkMessage> {
    return this.send({ type: 'chunk.put', share, hash }, timeoutMs, true, bytes).then((a) => {
      if (a instanceof Uint8Array || a.type !== 'ok') throw new VaultError('BAD_FORMAT', 'Connection.putChunk: unexpected answer');
      return a as OkMessage;
    });
  }

  /** Fetch one chunk's ciphertext (`chunk.get` → binary `chunk` frame). */
  getChunk(share: string, hash: string, timeoutMs = this.timeoutMs): Promise<Uint8Array> {
    return this.send({ type: 'chunk.get', share, hash }, timeoutMs, false).then((a) => {
      if (!(a instanceof Uint8Array)) throw new VaultError('BAD_FORMAT', 'Connection.getChunk: the relay answered chunk.get without chunk bytes');
      return a;
    });
  }

  /** Bytes queued on the socket (upload back-pressure). */
  get bufferedAmount(): number {
    return this.ws?.bufferedAmount ?? 0;
  }

  private send(msg: Record<string, unknown>, timeoutMs: number, binary: boolean, bytes?: Uint8Array | Blob, preAuth = false): Promise<OkMessage | ConflictMessage | Uint8Array> {
    const ws = this.ws;
    // The socket died but its close event is not processed yet: treat it as closed now, so
    // whenOnline() waits for the reconnect instead of resolving at once.
    if (ws && ws.readyState > WS_OPEN) this.onClosed(ws, 1006, 'socket closed');
    if (!ws || ws.readyState !== WS_OPEN || (!preAuth && this.stateValue !== 'online')) {
      return Promise.reject(this.terminal ?? new VaultError('RELAY_UNREACHABLE', `Connection.request: offline (${String(msg.type)})`));
    }
    const id = this.requests.newId();
    // Only chunk.get is answered by a binary frame; any other pairing is a broken or hostile relay.
    const wantsBinary = msg.type === 'chunk.get';
    return new Promise((resolve, reject) => {
      const answered = (m: Answer) => ((m instanceof Uint8Array) === wantsBinary
        ? (resolve as (m: Answer) => void)(m)
        : reject(new VaultError('BAD_FORMAT', `Connection.request: ${String(msg.type)} answered with a ${wantsBinary ? 'text' : 'binary'} frame`)));
      this.requests.add(id, timeoutMs, answered, reject, () => {
        reject(new VaultError('RELAY_UNREACHABLE', `Connection.request: no answer to ${String(msg.type)} within ${timeoutMs} ms`));
        // A relay that stops answering is as good as gone: drop and reconnect.
        if (this.ws === ws) this.drop(ws, 4000, 'timeout');
      });
      try {
        ws.send(binary ? encodeBinaryFrame({ ...msg, id }, bytes ?? new Uint8Array(0)) : JSON.stringify({ ...msg, id }));
      } catch (e) {
        this.requests.reject(id, new VaultError('RELAY_UNREACHABLE', 'Connection.request: send failed', { cause: e }));
      }
    });
  }

  private setState(s: ConnectionState, err?: VaultError): void {
    if (s === this.stateValue && !err) return;
    this.stateValue = s;
    for (const l of this.stateListeners) l(s, err);
  }

  private open(): void {
    this.reconnectTimer = null;
    if (this.stopped || this.terminal) return;
    this.setState('connecting');
    let ws: WebSocketLike;
    try {
      ws = this.opts.webSocketFactory(this.opts.url);
    } catch (e) {
      this.scheduleReconnect(new VaultError('RELAY_UNREACHABLE', 'Connection: cannot open a WebSocket', { cause: e }));
      return;
    }
    this.ws = ws;
    ws.binaryType = 'arraybuffer';
    let challenged = false;
    const handshakeTimer = this.opts.clock.setTimeout(() => { if (this.stateValue !== 'online' && this.ws === ws) this.drop(ws, 4000, 'handshake timeout'); }, this.timeoutMs);
    ws.onopen = () => ws.send(helloFrame());
    ws.onerror = () => { /* onclose follows */ };
    ws.onclose = (ev) => {
      this.opts.clock.clearTimeout(handshakeTimer);
      this.onClosed(ws, ev.code, ev.reason);
    };
    const sink: InboundSink = {
      challenge: (nonce) => {
        if (challenged) return; // only the first challenge of a socket is answered
        challenged = true;
        void this.onChallenge(ws, nonce);
      },
      welcome: (w) => {
        this.opts.clock.clearTimeout(handshakeTimer);
        this.onWelcomeMsg(w);
      },
      answer: (id, a) => this.requests.resolve(id, a),
      refuse: (id, err) => this.requests.reject(id, err),
      fail: (err) => this.fail(err),
      notice: (n) => this.opts.onNotice?.(n),
      closing: (code, reason) => {
        const err = closeError('Connection', code, reason);
        if (err && this.isTerminal(code)) this.terminal = err;
      },
      wipe: (order) => void this.wipe(ws, order),
      malformed: (reason) => this.drop(ws, 4000, reason),
    };
    ws.onmessage = (ev) => {
      if (this.ws !== ws) return;
      this.keepalive.heard();
      dispatchRelayFrame(ev.data, this.stateValue === 'online', sink);
    };
  }

  private async onChallenge(ws: WebSocketLike, nonceB64: string): Promise<void> {
    const pre: PreAuthChannel = { request: (m) => this.send(m, this.timeoutMs, false, undefined, true) as Promise<OkMessage> };
    const outcome = await answerChallenge(nonceB64, this.opts.authenticate, pre, (frame) => {
      if (this.ws === ws && ws.readyState === WS_OPEN) ws.send(JSON.stringify(frame));
    });
    if (outcome.kind === 'sent') return;
    // The socket went away during a pre-auth request: an ordinary reconnect.
    if (outcome.kind === 'unreachable' && !this.terminal) {
      if (this.ws === ws) this.drop(ws, 4000, 'pre-auth request failed');
      return;
    }
    this.fail(outcome.error);
  }

  private onWelcomeMsg(w: Welcome): void {
    this.welcome = w;
    this.backoff.reset();
    this.setState('online');
    const ws = this.ws;
    if (ws) this.keepalive.start(() => this.ws === ws && this.stateValue === 'online', (ms) => this.send({ type: 'ping' }, ms, false));
    this.onlineWaiters.resolveAll(w);
    this.opts.onWelcome?.(w);
  }

  private async wipe(ws: WebSocketLike, order: unknown): Promise<void> {
    this.stopped = true;
    this.terminal = new VaultError('WIPE_UNVERIFIED', 'Connection: the relay removed this device; the order is being checked');
    try { ws.close(1000, 'wiped'); } catch { /* ignore */ }
    try {
      if (this.opts.onWipe) this.terminal = await this.opts.onWipe(order);
    } catch (e) {
      this.terminal = isVaultError(e) ? e : new VaultError('WIPE_UNVERIFIED', 'Connection: the wipe order could not be checked', { cause: e });
    } finally {
      this.fail(this.terminal);
    }
  }

  private drop(ws: WebSocketLike, code: number, reason: string): void {
    try { ws.close(code === 4000 ? 4000 : 1000, reason); } catch { /* ignore */ }
    this.onClosed(ws, 1006, reason);
  }

  private onClosed(ws: WebSocketLike, code: number, reason: string): void {
    if (this.ws !== ws) return;
    ws.onclose = ws.onmessage = ws.onerror = ws.onopen = null;
    this.ws = null;
    this.keepalive.stop();
    const terminal = this.isTerminal(code);
    this.welcome = null;
    if (!this.terminal && terminal) this.terminal = closeError('Connection', code, reason);
    if (this.terminal) {
      this.fail(this.terminal);
      return;
    }
    this.failAll(new VaultError('RELAY_UNREACHABLE', `Connection: connection lost (${code})`));
    // Blocked in ONE share: the relay closes all of the member's sessions; the device may come
    // back for its other shares. Report it, then reconnect (a refusal at auth is final).
    const err = closeMeaning(code) ? closeError('Connection', code, reason) : undefined;
    this.scheduleReconnect(err);
  }

  /**
   * Whether a close code ends this connection for good. MEMBER_BLOCKED closes a device session
   * because of one share, so it is final only before auth (the relay refused the device itself).
   */
  private isTerminal(code: number): boolean {
    if (code === 4005 && this.welcome?.as.kind === 'device') return false;
    return closeMeaning(code)?.terminal === true;
  }

  private scheduleReconnect(report?: VaultError): void {
    this.ws = null;
    this.setState('offline', report);
    if (this.stopped) return;
    const delay = this.backoff.next();
    this.reconnectTimer = this.opts.clock.setTimeout(() => this.open(), delay);
  }

  /** Terminal: stop for good, reject everything, report the error. */
  private fail(err: VaultError): void {
    this.terminal = err;
    this.stopped = true;
    this.keepalive.stop();
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.onclose = ws.onmessage = ws.onerror = ws.onopen = null;
      try { ws.close(1000, 'stop'); } catch { /* ignore */ }
    }
    if (this.reconnectTimer !== null) this.opts.clock.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.failAll(err);
    this.onlineWaiters.rejectAll(err);
    this.setState('offline', err);
  }

  private failAll(err: VaultError): void {
    this.requests.rejectAll(err);
  }
}

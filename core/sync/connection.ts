/**
 * One connection manager per device (DESIGN.md §5): connect, `hello` → `challenge` → auth,
 * keep the socket, correlate requests with answers by `id` (with timeouts), reconnect with
 * exponential backoff + jitter, and turn the relay's `closing`/close codes into typed
 * VaultErrors. After a terminal refusal (rotated/revoked/expired code, blocked member, wiped
 * device, protocol too old, rate limited) it stays offline: reconnecting would only be refused
 * again (and, for a rate limit, make it worse).
 */
import { fromB64url } from '../encoding.js';
import { VaultError, isVaultError } from '../errors.js';
import { Backoff, type BackoffOptions } from './backoff.js';
import type { Clock } from './clock.js';
import { closeError, closeMeaning, FINAL_PRE_AUTH, relayErrorCode } from './close-codes.js';
import { decodeBinaryFrame, encodeBinaryFrame, parseRelayText, type ConflictMessage, type Notice, type OkMessage, type RelayMessage, type Welcome } from './wire.js';
import { RequestTable, type Answer } from './request-table.js';
import { WS_OPEN, type WebSocketFactory, type WebSocketLike } from './websocket.js';

import { PROTOCOL_VERSION } from '../../protocol/index.js';
export { PROTOCOL_VERSION };
export type ConnectionState = 'offline' | 'connecting' | 'online';

/** Requests allowed before auth (e.g. `account.kdf` for a new device). */
export interface PreAuthChannel {
  request(msg: Record<string, unknown>): Promise<OkMessage>;
}

/** Builds the auth frame (`auth` or `team.create`) for the relay's challenge nonce. */
export type Authenticate = (nonce: Uint8Array, pre: PreAuthChannel) => Promise<Record<string, unknown>>;

export interface ConnectionOptions {
  url: string;
  webSocketFactory: WebSocketFactory;
  clock: Clock;
  authenticate: Authenticate;
  backoff?: BackoffOptions;
  /** Per-request answer timeout (ms). */
  requestTimeoutMs?: number;
  /**
   * Keep-alive (ms, default 25 000; 0 = off): when nothing was heard from the relay for this
   * long, a `ping` is sent; no answer within the same time = the connection is dead (a half-open
   * socket after sleep or a network change), so it is dropped and reconnected.
   */
  keepaliveMs?: number;
  /** Called after every successful auth (first connect and each reconnect). */
  onWelcome?: (w: Welcome) => void;
  onNotice?: (n: Notice) => void;
  /**
   * The relay said `wipe` (R8), with the signed roster order if it had one. Awaited; returns the
   * error the connection ends with (DEVICE_WIPED after a verified order, WIPE_UNVERIFIED when
   * nothing was deleted). The connection stays closed afterwards.
   */
  onWipe?: (order: unknown) => Promise<VaultError>;
}

export class Connection {
  private ws: WebSocketLike | null = null;
  private stateValue: ConnectionState = 'offline';
  private stopped = true;
  private terminal: VaultError | undefined;
  private readonly requests: RequestTable;
  private readonly stateListeners = new Set<(s: ConnectionState, err?: VaultError) => void>();
  private readonly onlineWaiters = new Set<{ resolve: (w: Welcome) => void; reject: (e: VaultError) => void }>();
  private readonly backoff: Backoff;
  private reconnectTimer: unknown = null;
  private welcome: Welcome | null = null;
  private readonly timeoutMs: number;
  private keepaliveTimer: unknown = null;
  /** Something arrived from the relay since the last keep-alive tick. */
  private heard = false;
  private pinging = false;

  constructor(private readonly opts: ConnectionOptions) {
    this.backoff = new Backoff(opts.backoff);
    this.requests = new RequestTable(opts.clock);
    this.timeoutMs = opts.requestTimeoutMs ?? 30_000;
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
    this.stopKeepAlive();
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
    for (const waiter of this.onlineWaiters) waiter.reject(err);
    this.onlineWaiters.clear();
    this.setState('offline');
  }

  /** Resolves with the session once online; rejects at once if stopped or refused for good. */
  whenOnline(): Promise<Welcome> {
    if (this.stateValue === 'online' && this.welcome) return Promise.resolve(this.welcome);
    if (this.terminal) return Promise.reject(this.terminal);
    if (this.stopped) return Promise.reject(new VaultError('RELAY_UNREACHABLE', 'Connection.whenOnline: not started'));
    return new Promise((resolve, reject) => this.onlineWaiters.add({ resolve, reject }));
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
  putChunk(share: string, hash: string, bytes: Uint8Array, timeoutMs = this.timeoutMs): Promise<OkMessage> {
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

  private send(msg: Record<string, unknown>, timeoutMs: number, binary: boolean, bytes?: Uint8Array, preAuth = false): Promise<OkMessage | ConflictMessage | Uint8Array> {
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
    ws.onopen = () => ws.send(JSON.stringify({ type: 'hello', protocol: PROTOCOL_VERSION }));
    ws.onerror = () => { /* onclose follows */ };
    ws.onclose = (ev) => {
      this.opts.clock.clearTimeout(handshakeTimer);
      this.onClosed(ws, ev.code, ev.reason);
    };
    ws.onmessage = (ev) => {
      if (this.ws !== ws) return;
      this.heard = true;
      if (typeof ev.data !== 'string') {
        this.onBinary(ws, ev.data);
        return;
      }
      let msg: RelayMessage;
      try {
        msg = parseRelayText(ev.data);
      } catch {
        this.drop(ws, 4000, 'bad frame');
        return;
      }
      if (msg.type === 'challenge' && !challenged) {
        challenged = true;
        void this.answerChallenge(ws, msg.nonce);
      } else if (msg.type === 'welcome') {
        this.opts.clock.clearTimeout(handshakeTimer);
        this.onWelcomeMsg(msg);
      } else {
        this.onMessage(ws, msg);
      }
    };
  }

  private async answerChallenge(ws: WebSocketLike, nonceB64: string): Promise<void> {
    try {
      const pre: PreAuthChannel = { request: (m) => this.send(m, this.timeoutMs, false, undefined, true) as Promise<OkMessage> };
      const frame = await this.opts.authenticate(fromB64url(nonceB64), pre);
      if (this.ws === ws && ws.readyState === WS_OPEN) ws.send(JSON.stringify(frame));
    } catch (e) {
      // The socket went away during a pre-auth request: an ordinary reconnect.
      if (isVaultError(e, 'RELAY_UNREACHABLE') && !this.terminal) {
        if (this.ws === ws) this.drop(ws, 4000, 'pre-auth request failed');
        return;
      }
      // A local failure to authenticate (wrong password, unknown account) is final.
      const err = isVaultError(e) ? e : new VaultError('INTERNAL', 'Connection.authenticate: failed', { cause: e });
      this.fail(err);
    }
  }

  private onWelcomeMsg(w: Welcome): void {
    this.welcome = w;
    this.backoff.reset();
    this.setState('online');
    if (this.ws) this.keepAlive(this.ws);
    for (const waiter of this.onlineWaiters) waiter.resolve(w);
    this.onlineWaiters.clear();
    this.opts.onWelcome?.(w);
  }

  private onMessage(ws: WebSocketLike, msg: RelayMessage): void {
    switch (msg.type) {
      case 'ok':
      case 'conflict':
        this.requests.resolve(msg.id, msg as OkMessage);
        return;
      case 'error': {
        const err = new VaultError(relayErrorCode(msg.code), `Connection.request: relay answered ${msg.code}${msg.message ? `: ${msg.message}` : ''}`);
        if (msg.id !== undefined) this.requests.reject(msg.id, err);
        else if (msg.code === 'PROTOCOL_MISMATCH') this.fail(new VaultError('PROTOCOL_MISMATCH', 'Connection: the relay speaks another protocol version'));
        else if (this.stateValue !== 'online' && FINAL_PRE_AUTH.has(msg.code)) this.fail(err);
        return;
      }
      case 'changed':
      case 'log':
      case 'roster':
      case 'joinrequest':
        this.opts.onNotice?.(msg);
        return;
      case 'closing': {
        const err = closeError('Connection', msg.code, msg.reason);
        if (err && this.isTerminal(msg.code)) this.terminal = err;
        return;
      }
      case 'wipe':
        void this.wipe(ws, msg.order);
        return;
      default:
        return;
    }
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

  /** Every keepaliveMs while this socket is current and online: ping if the relay was silent. */
  private keepAlive(ws: WebSocketLike): void {
    const ms = this.opts.keepaliveMs ?? 25_000;
    this.stopKeepAlive();
    if (ms <= 0) return;
    this.heard = true;
    const tick = () => {
      this.keepaliveTimer = null;
      if (this.ws !== ws || this.stateValue !== 'online') return;
      // No answer within ms: send() times out, drops the socket and reconnects.
      if (!this.heard && !this.pinging) {
        this.pinging = true;
        this.send({ type: 'ping' }, ms, false).catch(() => { /* a timeout drops the socket */ }).finally(() => { this.pinging = false; });
      }
      this.heard = false;
      this.keepaliveTimer = this.opts.clock.setTimeout(tick, ms);
    };
    this.keepaliveTimer = this.opts.clock.setTimeout(tick, ms);
  }

  private stopKeepAlive(): void {
    if (this.keepaliveTimer !== null) this.opts.clock.clearTimeout(this.keepaliveTimer);
    this.keepaliveTimer = null;
  }

  private onBinary(ws: WebSocketLike, data: unknown): void {
    const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : null;
    if (!bytes) return;
    try {
      const { header, bytes: chunk } = decodeBinaryFrame(bytes);
      this.requests.resolve(header.id, chunk);
    } catch {
      this.drop(ws, 4000, 'bad binary frame');
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
    this.stopKeepAlive();
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
    this.stopKeepAlive();
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.onclose = ws.onmessage = ws.onerror = ws.onopen = null;
      try { ws.close(1000, 'stop'); } catch { /* ignore */ }
    }
    if (this.reconnectTimer !== null) this.opts.clock.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.failAll(err);
    for (const waiter of this.onlineWaiters) waiter.reject(err);
    this.onlineWaiters.clear();
    this.setState('offline', err);
  }

  private failAll(err: VaultError): void {
    this.requests.rejectAll(err);
  }
}

/** One WebSocket connection's state, and the per-relay registry of authenticated sessions by team. */
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import type { RelayErrorCode, SessionAs } from '../protocol/index.js';
import type { RelayMetrics } from './metrics.js';
import type { TeamStore } from './storage/types.js';

export class Session {
  state: 'new' | 'challenged' | 'authed' | 'closed' = 'new';
  nonce = '';
  team = '';
  store: TeamStore | null = null;
  as: SessionAs | null = null;
  /** Shares this session may read (device: memberships; code: its share). */
  shares = new Set<string>();
  /** Serialises message handling so a client's messages are applied in order. */
  queue: Promise<void> = Promise.resolve();
  /** Writes (push, chunk.put) still committing: later writes may join their group commit; reads wait for them. */
  inflight = new Set<Promise<void>>();
  expiryTimer: NodeJS.Timeout | null = null;
  /** Heard from since the last heartbeat tick (a pong or any frame). */
  alive = true;
  /** Heartbeat ticks in a row without a sign of life. */
  missed = 0;
  /** Heartbeat ticks this socket has seen without authenticating. */
  preAuthTicks = 0;
  private corked = false;
  /** The source network (IPv4 address or IPv6 /64): part of the rate-limit key, never stored or logged. */
  network = '';
  /** The team and credential of the authentication attempt being handled (rate-limit key). */
  attempt: { team: string; credential: string } | null = null;

  /** `socket`: the TCP/TLS socket under `ws`, corked while one turn's answers are written. */
  constructor(readonly ws: WebSocket, readonly sourceKey: string, private readonly metrics: RelayMetrics, private readonly socket?: Socket) {}

  send(msg: object): void {
    if (this.state !== 'closed' && this.ws.readyState === this.ws.OPEN) {
      this.cork();
      this.ws.send(JSON.stringify(msg));
    }
  }
  sendBinary(frame: Uint8Array): void {
    if (this.state !== 'closed' && this.ws.readyState === this.ws.OPEN) {
      this.cork();
      this.ws.send(frame, { binary: true });
    }
  }
  /**
   * Frames sent in the same tick (the answers of one group commit) go out in one write, not one
   * syscall each: the socket is corked until the microtasks of this tick have run.
   */
  private cork(): void {
    if (this.corked || !this.socket) return;
    this.corked = true;
    this.socket.cork();
    process.nextTick(() => {
      this.corked = false;
      this.socket!.uncork();
    });
  }
  error(code: RelayErrorCode, message: string, id?: number): void {
    this.metrics.error(code);
    this.send(id === undefined ? { type: 'error', code, message } : { type: 'error', id, code, message });
  }
  /** Sends `closing` (unless silent) and closes with `code`. */
  close(code: number, reason: string, silent = false): void {
    if (this.state === 'closed') return;
    if (!silent) this.send({ type: 'closing', code, reason });
    this.state = 'closed';
    this.metrics.closed(code);
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    this.ws.close(code, reason);
  }
  /** Revoked device: `wipe` with the signed roster order (the device verifies it before deleting anything), then close 4006. */
  wipe(order?: object): void {
    this.send(order ? { type: 'wipe', order } : { type: 'wipe' });
    this.close(4006, 'device wiped', true);
  }
  get account(): string | null {
    return this.as?.kind === 'device' || this.as?.kind === 'account' ? this.as.account : null;
  }
}

export class SessionRegistry {
  private byTeam = new Map<string, Set<Session>>();

  add(s: Session): void {
    let set = this.byTeam.get(s.team);
    if (!set) this.byTeam.set(s.team, (set = new Set()));
    set.add(s);
  }
  remove(s: Session): void {
    const set = this.byTeam.get(s.team);
    if (set?.delete(s) && set.size === 0) this.byTeam.delete(s.team);
  }
  of(team: string): Session[] {
    return [...(this.byTeam.get(team) ?? [])];
  }
  all(): Session[] {
    return [...this.byTeam.values()].flatMap((s) => [...s]);
  }
  count(): number {
    let n = 0;
    for (const s of this.byTeam.values()) n += s.size;
    return n;
  }
  /** Closes every session of `team` matching `pred`. */
  closeWhere(team: string, pred: (s: Session) => boolean, code: number, reason: string): number {
    let n = 0;
    for (const s of this.of(team)) if (pred(s)) { s.close(code, reason); n++; }
    return n;
  }
  /** Sends `msg` to every session of the team that reads `share`, except `skip`. */
  notify(team: string, share: string, msg: object, skip?: Session): void {
    for (const s of this.byTeam.get(team) ?? []) if (s !== skip && s.shares.has(share)) s.send(msg);
  }
}

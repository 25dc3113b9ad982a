/**
 * createRelay: the WebSocket relay and its HTTP endpoints (/healthz, /metrics) on one server.
 * All state lives in the returned instance; dependencies are passed in.
 */
import { createServer as createHttp, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo } from 'node:net';
import pino, { type Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import { b64urlEncode, CLOSE, DEFAULT_LIMITS } from '../protocol/index.js';
import { SEVEN_DAYS_MS, type Clock, type RelayContext, type ServerLimits } from './context.js';
import { hmac } from './crypto.js';
import { handleBinary, handleText, replyToFailure } from './dispatch.js';
import { descriptorBudget } from './fd-limit.js';
import { sourceNetwork } from './rate-limit.js';
import { awaitReadRoom, Backpressure } from './backpressure.js';
import { StorageHealth } from './storage-health.js';
import { RelayCaps } from './caps.js';
import { walkTeams, type SweepResult } from './maintenance.js';
import { applyEvent, type Fanout } from './fanout/events.js';
import { createMetrics, type RelayMetrics } from './metrics.js';
import { Session, SessionRegistry } from './session.js';
import type { RateLimitPolicy, RelayStorage } from './storage/types.js';

export interface RelayOptions {
  storage: RelayStorage;
  port?: number;
  host?: string;
  log?: Logger;
  limits?: Partial<ServerLimits>;
  rateLimit?: Partial<RateLimitPolicy>;
  clock?: Clock;
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** Take the client address from X-Forwarded-For (only behind a trusted proxy). */
  trustProxy?: boolean;
  /** Anyone may create a team (loopback development relay); default: team.create needs an enrollment token (`truhe-relay enroll`). */
  openEnrollment?: boolean;
  /** Fan-out to other instances on the same database (e.g. PostgreSQL LISTEN/NOTIFY); started here, closed by the caller. */
  fanout?: Fanout;
}

export interface Relay {
  url: string;
  port: number;
  /**
   * The maintenance sweep, now (also in the background at start and every `sweepIntervalMs`;
   * see maintenance.ts): expired rate-limit rows, each team's integrity check when due, and
   * orphan chunks (unreferenced, untouched for `orphanGraceMs`) of every team. So no chunk stays
   * orphaned longer than orphanGraceMs + sweepIntervalMs.
   */
  maintenance(): Promise<SweepResult>;
  sessionCount(): number;
  /** Graceful: close every session (1001), stop listening. Does not close the storage. */
  close(): Promise<void>;
}

export const DEFAULT_SERVER_LIMITS: ServerLimits = {
  ...DEFAULT_LIMITS, retention: 20, quotaBytes: 10 * 1024 ** 3, maxTeams: 0, maxBytes: 0, failureRetentionMs: SEVEN_DAYS_MS, orphanGraceMs: 24 * 3600_000, sweepIntervalMs: 3600_000, heartbeatMs: 30_000,
  maxInflight: 64, maxBufferedBytes: 8 * 1024 ** 2, slowReaderMs: 15_000, maxConnections: 0, faultIntervalMs: 60_000,
};
export const DEFAULT_RATE_LIMIT: RateLimitPolicy = { freeFailures: 5, blockAfter: 20, blockMs: 3600_000, maxBackoffMs: 15 * 60_000 };

export function sourceAddress(req: IncomingMessage, trustProxy: boolean): string {
  const fwd = trustProxy ? req.headers['x-forwarded-for'] : undefined;
  const first = (Array.isArray(fwd) ? fwd[0] : fwd)?.split(',')[0]?.trim();
  return first || req.socket.remoteAddress || 'unknown';
}

/**
 * One heartbeat tick: a socket silent for two whole ticks is gone (terminate: its close handler
 * cleans up; two, so a relay that was itself stalled past a tick does not drop a live peer whose
 * pong is still unread); one still unauthenticated after two ticks is closed; the rest are pinged.
 */
function beat(sockets: Set<Session>, metrics: RelayMetrics): void {
  for (const s of sockets) {
    if (s.alive) s.missed = 0;
    else if (++s.missed >= 2) {
      metrics.closed(1006);
      s.ws.terminate();
      continue;
    }
    if (s.state !== 'authed' && s.state !== 'closed' && ++s.preAuthTicks > 2) {
      s.close(CLOSE.PROTOCOL_ERROR, 'authentication timeout');
      continue;
    }
    s.alive = false;
    try { s.ws.ping(); } catch { /* closing already */ }
  }
}

export async function createRelay(opts: RelayOptions): Promise<Relay> {
  const limits: ServerLimits = { ...DEFAULT_SERVER_LIMITS, ...opts.limits };
  limits.failureRetentionMs = Math.min(limits.failureRetentionMs, SEVEN_DAYS_MS);
  limits.sweepIntervalMs = Math.max(limits.sweepIntervalMs, 100);
  if (limits.heartbeatMs > 0) limits.heartbeatMs = Math.max(limits.heartbeatMs, 50);
  const log = opts.log ?? pino({ level: 'silent' });
  const metrics = createMetrics();
  const caps = new RelayCaps(opts.storage, limits);
  const ctx: RelayContext = {
    storage: opts.storage, registry: new SessionRegistry(), metrics, log, limits,
    clock: opts.clock ?? { now: () => Date.now() },
    rateLimit: { ...DEFAULT_RATE_LIMIT, ...opts.rateLimit },
    secret: await opts.storage.relaySecret(),
    openEnrollment: opts.openEnrollment === true,
    fanout: opts.fanout,
    health: new StorageHealth(opts.storage, metrics, log, limits.faultIntervalMs, undefined, caps),
    caps,
  };
  if (opts.storage.health) metrics.watchStorage(() => opts.storage.health!());
  metrics.watchUsage(() => ({ ...caps.usage(), maxTeams: limits.maxTeams, maxBytes: limits.maxBytes }));
  const maxConnections = limits.maxConnections || descriptorBudget().connections;
  // Another instance's change: apply it to our sessions. A gap (listener reconnected): close every
  // session so its client reconnects and re-pulls; nothing missed stays missed.
  await opts.fanout?.start({
    event: (e) => applyEvent(ctx.registry, e),
    gap: () => {
      log.warn({ event: 'fanout_gap' }, 'fan-out listener lost; closing sessions to resync');
      for (const s of ctx.registry.all()) s.close(1012, 'relay resyncing');
    },
  });
  const onHttp = (req: IncomingMessage, res: ServerResponse) => {
    if (req.url === '/healthz') {
      // Database, disk, fan-out listener, unavailable teams (a count); names no host, credential or id.
      void ctx.health.report(() => (opts.fanout && !opts.fanout.healthy() ? 'fan-out listener' : null))
        .then((r) => res.writeHead(r.status, { 'content-type': 'text/plain' }).end(r.body));
      return;
    }
    if (req.url === '/metrics') {
      metrics.registry.metrics().then(
        (body) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(body),
        () => res.writeHead(500).end(),
      );
      return;
    }
    res.writeHead(404).end();
  };
  const server: Server = opts.tls ? createHttps({ cert: opts.tls.cert, key: opts.tls.key }, onHttp) : createHttp(onHttp);
  const wss = new WebSocketServer({ server, maxPayload: Math.max(limits.maxTextFrame, limits.maxBinaryFrame), clientTracking: false });
  const sockets = new Set<Session>();

  wss.on('connection', (ws: WebSocket, req: IncomingMessage) => {
    if (sockets.size >= maxConnections) {
      // Descriptors are bounded: a full relay refuses (1013 try again later) rather than fail everyone.
      metrics.overloaded('connections');
      ws.close(1013, 'relay full');
      return;
    }
    const network = sourceNetwork(sourceAddress(req, !!opts.trustProxy));
    const sourceKey = b64urlEncode(hmac(ctx.secret, 'source', network).subarray(0, 16));
    const s = new Session(ws, sourceKey, metrics, req.socket);
    s.network = network;
    sockets.add(s);
    metrics.connections.inc();
    const bp = new Backpressure(ws, limits.maxInflight);
    ws.on('pong', () => { s.alive = true; });
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      s.alive = true;
      bp.received();
      s.queue = s.queue
        .then(async () => {
          if (s.state === 'closed' || !(await awaitReadRoom(s, limits, metrics))) return;
          await (isBinary ? handleBinary(ctx, s, data) : handleText(ctx, s, data.toString('utf8')));
        })
        .catch((e: unknown) => replyToFailure(ctx, s, e))
        .finally(() => bp.handled());
    });
    ws.on('error', () => {
      metrics.error('BAD_FRAME');
    });
    ws.on('close', (code: number) => {
      log.debug({ event: 'connection_closed', code, kind: s.as?.kind ?? 'none' }, 'connection closed');
      sockets.delete(s);
      metrics.connections.dec();
      if (s.state === 'authed' || (s.state === 'closed' && s.as)) {
        ctx.registry.remove(s);
        metrics.sessions.dec();
      }
      if (s.expiryTimer) clearTimeout(s.expiryTimer);
      s.state = 'closed';
    });
  });

  // Maintenance walks the teams one at a time, in the background: start-up opens no team file,
  // and one damaged team is counted (and quarantined), never the end of the sweep or the process.
  let sweeping: Promise<unknown> | null = null;
  const stop = { stopped: false };
  const maintenance = async () => {
    await sweeping;
    return walkTeams(ctx);
  };
  const sweep = () => {
    if (sweeping) return;
    sweeping = walkTeams(ctx, stop)
      .catch((e: unknown) => log.error({ event: 'maintenance_failed', err: { name: (e as Error)?.name } }, 'maintenance failed'))
      .finally(() => { sweeping = null; });
  };
  const first = setTimeout(sweep, 0);
  first.unref();
  const timer = setInterval(sweep, limits.sweepIntervalMs);
  timer.unref();

  const heartbeat = limits.heartbeatMs > 0 ? setInterval(() => beat(sockets, metrics), limits.heartbeatMs) : null;
  heartbeat?.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  const url = `${opts.tls ? 'wss' : 'ws'}://${host}:${addr.port}`;
  log.info({ event: 'listening', tls: !!opts.tls }, 'relay listening');

  return {
    url,
    port: addr.port,
    maintenance,
    sessionCount: () => ctx.registry.count(),
    async close() {
      clearTimeout(first);
      clearInterval(timer);
      stop.stopped = true;
      await sweeping;
      if (heartbeat) clearInterval(heartbeat);
      for (const s of sockets) s.close(1001, 'relay shutting down');
      await Promise.all([...sockets].flatMap((s) => [s.queue, ...s.inflight]));
      await new Promise<void>((r) => wss.close(() => r()));
      server.closeAllConnections?.();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

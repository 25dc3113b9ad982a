/**
 * createRelay: the WebSocket relay and its HTTP endpoints (/healthz, /metrics) on one server.
 * All state lives in the returned instance; dependencies are passed in. This file wires the
 * parts: http-endpoints.ts (HTTP answers), socket-wiring.ts (one accepted socket → a Session,
 * its frames to dispatch.ts), heartbeat.ts (pings), maintenance-schedule.ts (background sweeps).
 */
import { createServer as createHttp, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo } from 'node:net';
import pino, { type Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import { DEFAULT_LIMITS } from '../protocol/index.js';
import { SEVEN_DAYS_MS, type Clock, type RelayContext, type ServerLimits } from './context.js';
import { descriptorBudget } from './fd-limit.js';
import { StorageHealth } from './storage-health.js';
import { RelayCaps } from './caps.js';
import type { SweepResult } from './maintenance.js';
import { applyEvent, type Fanout } from './fanout/events.js';
import { createMetrics } from './metrics.js';
import { SessionRegistry, type Session } from './session.js';
import type { RateLimitPolicy, RelayStorage } from './storage/types.js';
import { beat } from './heartbeat.js';
import { createHttpHandler } from './http-endpoints.js';
import { scheduleMaintenance } from './maintenance-schedule.js';
import { acceptSocket } from './socket-wiring.js';

export { sourceAddress } from './socket-wiring.js';

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
  const onHttp = createHttpHandler(ctx, opts.fanout);
  const server: Server = opts.tls ? createHttps({ cert: opts.tls.cert, key: opts.tls.key }, onHttp) : createHttp(onHttp);
  const wss = new WebSocketServer({ server, maxPayload: Math.max(limits.maxTextFrame, limits.maxBinaryFrame), clientTracking: false });
  const sockets = new Set<Session>();
  const wiring = { sockets, maxConnections, trustProxy: !!opts.trustProxy };
  wss.on('connection', (ws: WebSocket, req: IncomingMessage) => acceptSocket(ctx, wiring, ws, req));

  const maintenance = scheduleMaintenance(ctx);
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
    maintenance: () => maintenance.run(),
    sessionCount: () => ctx.registry.count(),
    async close() {
      await maintenance.stop();
      if (heartbeat) clearInterval(heartbeat);
      for (const s of sockets) s.close(1001, 'relay shutting down');
      await Promise.all([...sockets].flatMap((s) => [s.queue, ...s.inflight]));
      await new Promise<void>((r) => wss.close(() => r()));
      server.closeAllConnections?.();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

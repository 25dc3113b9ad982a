/** Everything a handler needs, passed explicitly (no module-level state). */
import type { Logger } from 'pino';
import type { RelayLimits } from '../protocol/index.js';
import type { Fanout } from './fanout/events.js';
import type { RelayCaps } from './caps.js';
import type { RelayMetrics } from './metrics.js';
import type { SessionRegistry } from './session.js';
import type { StorageHealth } from './storage-health.js';
import type { RateLimitPolicy, RelayStorage } from './storage/types.js';

/**
 * Wall-clock time (unix ms) for what is stored or compared with stored times (code expiry,
 * rate-limit rows, orphan age). Intervals and timeouts use monotonic time (timers,
 * performance.now()), so a clock jump cannot fire or stall them.
 */
export interface Clock {
  now(): number;
}

export interface ServerLimits extends RelayLimits {
  /** Versions kept per item for `history`. */
  retention: number;
  /** Max stored bytes per team (chunks + record bodies); QUOTA_EXCEEDED beyond. */
  quotaBytes: number;
  /** Max teams on this relay (0: no cap); team.create gets RELAY_FULL beyond. */
  maxTeams: number;
  /** Max stored bytes of all teams together (0: no cap); writes get RELAY_QUOTA beyond. */
  maxBytes: number;
  /** How long failed-auth rows are kept (ms, at most 7 days). */
  failureRetentionMs: number;
  /** A chunk no record references is deleted once it was last uploaded or asked for this long ago (ms). */
  orphanGraceMs: number;
  /** How often the maintenance sweep (orphan chunks, rate-limit rows) runs (ms). */
  sweepIntervalMs: number;
  /**
   * Heartbeat period (ms): each tick pings every socket and terminates one that answered none of
   * the last two pings (a half-open TCP connection: a laptop that slept, a NAT that forgot it), and
   * closes one that has not authenticated within two ticks. 0 turns it off.
   */
  heartbeatMs: number;
  /** Requests one connection may have queued or running; beyond it the relay stops reading the socket. */
  maxInflight: number;
  /** Answer bytes a connection may leave unread (ws bufferedAmount) before the relay stops handling its requests. */
  maxBufferedBytes: number;
  /** How long a connection may stay over maxBufferedBytes before it is closed 4011 (ms, monotonic). */
  slowReaderMs: number;
  /** Open WebSocket connections; beyond it new ones are closed 1013 (0: derived from the descriptor limit). */
  maxConnections: number;
  /** A storage fault is logged at most once per this interval; a full disk keeps /healthz red this long after a refused write (ms). */
  faultIntervalMs: number;
}

export const SEVEN_DAYS_MS = 7 * 24 * 3600 * 1000;

export interface RelayContext {
  storage: RelayStorage;
  registry: SessionRegistry;
  metrics: RelayMetrics;
  log: Logger;
  clock: Clock;
  limits: ServerLimits;
  rateLimit: RateLimitPolicy;
  secret: Uint8Array;
  /** Anyone may create a team (a loopback relay of `npm start`); otherwise team.create needs an operator's enrollment token. */
  openEnrollment: boolean;
  /** Other relay instances on the same database (absent: this instance is alone). */
  fanout?: Fanout;
  health: StorageHealth;
  caps: RelayCaps;
}

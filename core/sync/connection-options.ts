/** What a Connection (connection.ts) is built from and reports: its options and states. */
import type { VaultError } from '../errors.js';
import type { BackoffOptions } from './backoff.js';
import type { Clock } from './clock.js';
import type { Notice, OkMessage, Welcome } from './wire.js';
import type { WebSocketFactory } from './websocket.js';

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

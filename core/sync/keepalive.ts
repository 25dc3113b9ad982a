/**
 * Keep-alive of one connection: every `ms` while its socket is current and online, a `ping` if
 * nothing was heard from the relay since the last tick (at most one ping out at a time). The
 * ping's own answer timeout is `ms`; when it fires, the connection drops the socket and
 * reconnects (a half-open socket after sleep or a network change). `ms` 0 turns it off.
 */
import type { Clock } from './clock.js';

export const DEFAULT_KEEPALIVE_MS = 25_000;

export class KeepAlive {
  private timer: unknown = null;
  /** Something arrived from the relay since the last tick. */
  private heardSinceTick = false;
  private pinging = false;

  constructor(private readonly clock: Clock, private readonly ms: number) {}

  /** A frame arrived from the relay. */
  heard(): void {
    this.heardSinceTick = true;
  }

  /**
   * (Re)starts the ticks. `live()` false ends them (the socket is no longer current or online);
   * `ping(timeoutMs)` sends a ping and settles with its answer or timeout.
   */
  start(live: () => boolean, ping: (timeoutMs: number) => Promise<unknown>): void {
    const ms = this.ms;
    this.stop();
    if (ms <= 0) return;
    this.heardSinceTick = true;
    const tick = () => {
      this.timer = null;
      if (!live()) return;
      // No answer within ms: the ping times out, which drops the socket and reconnects.
      if (!this.heardSinceTick && !this.pinging) {
        this.pinging = true;
        ping(ms).catch(() => { /* a timeout drops the socket */ }).finally(() => { this.pinging = false; });
      }
      this.heardSinceTick = false;
      this.timer = this.clock.setTimeout(tick, ms);
    };
    this.timer = this.clock.setTimeout(tick, ms);
  }

  stop(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }
}

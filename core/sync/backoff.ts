/**
 * Reconnect delays: exponential backoff with full jitter (AWS architecture blog, "Exponential
 * Backoff and Jitter"), so a relay restart is not met by every client at the same instant.
 * delay(n) = random() × min(maxMs, baseMs × 2^n), never below minMs.
 */
export interface BackoffOptions {
  /** First ceiling in ms (attempt 0). */
  baseMs?: number;
  /** Largest ceiling in ms. */
  maxMs?: number;
  /** Smallest delay in ms (keeps a tight loop away when random() returns ~0). */
  minMs?: number;
  /** Uniform [0, 1); injected so tests are deterministic. */
  random?: () => number;
}

export class Backoff {
  private attempt = 0;
  private readonly baseMs: number;
  private readonly maxMs: number;
  private readonly minMs: number;
  private readonly random: () => number;

  constructor(opts: BackoffOptions = {}) {
    this.baseMs = opts.baseMs ?? 250;
    this.maxMs = opts.maxMs ?? 30_000;
    this.minMs = opts.minMs ?? 50;
    this.random = opts.random ?? Math.random;
  }

  /** Delay before the next attempt (ms); each call counts one more failure. */
  next(): number {
    const ceiling = Math.min(this.maxMs, this.baseMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    return Math.max(this.minMs, Math.floor(this.random() * ceiling));
  }

  /** Call after a successful connection. */
  reset(): void {
    this.attempt = 0;
  }

  get attempts(): number {
    return this.attempt;
  }
}

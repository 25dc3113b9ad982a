/** Requests in flight on one connection, by `id`, each with its answer timeout. */
import type { VaultError } from '../errors.js';
import type { Clock } from './clock.js';

export type Answer = Record<string, unknown> | Uint8Array;

interface Pending {
  resolve: (m: Answer) => void;
  reject: (e: VaultError) => void;
  timer: unknown;
}

export class RequestTable {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly clock: Clock) {}

  /** A fresh request id (positive, below 2^31 as the protocol requires). */
  newId(): number {
    const id = this.nextId;
    this.nextId = this.nextId >= 2 ** 31 - 1 ? 1 : this.nextId + 1;
    return id;
  }

  /** Register `id`; `onTimeout` runs (after the entry is removed) when no answer came in time. */
  add(id: number, timeoutMs: number, resolve: (m: Answer) => void, reject: (e: VaultError) => void, onTimeout: () => void): void {
    const timer = this.clock.setTimeout(() => {
      this.pending.delete(id);
      onTimeout();
    }, timeoutMs);
    this.pending.set(id, { resolve, reject, timer });
  }

  resolve(id: number, answer: Answer): void {
    this.take(id)?.resolve(answer);
  }

  reject(id: number, err: VaultError): void {
    this.take(id)?.reject(err);
  }

  /** Reject everything in flight (connection lost or closed). */
  rejectAll(err: VaultError): void {
    for (const id of [...this.pending.keys()]) this.reject(id, err);
  }

  private take(id: number): Pending | undefined {
    const p = this.pending.get(id);
    if (!p) return undefined;
    this.pending.delete(id);
    this.clock.clearTimeout(p.timer);
    return p;
  }
}

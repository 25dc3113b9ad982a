/** Callers of Connection.whenOnline() waiting for the next `welcome` (or the end). */
import type { VaultError } from '../errors.js';
import type { Welcome } from './wire.js';

export class OnlineWaiters {
  private readonly waiting = new Set<{ resolve: (w: Welcome) => void; reject: (e: VaultError) => void }>();

  wait(): Promise<Welcome> {
    return new Promise((resolve, reject) => this.waiting.add({ resolve, reject }));
  }

  resolveAll(w: Welcome): void {
    for (const waiter of this.waiting) waiter.resolve(w);
    this.waiting.clear();
  }

  rejectAll(err: VaultError): void {
    for (const waiter of this.waiting) waiter.reject(err);
    this.waiting.clear();
  }
}

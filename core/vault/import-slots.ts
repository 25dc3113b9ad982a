/**
 * How many files a session seals at once. Each import runs a Worker with its own libsodium WASM
 * memory and a window of chunks in flight: 300 files dropped at once started 300 Workers, and
 * Chromium could not give WebAssembly memory to 119 of them (those files were lost behind one
 * generic error). The other imports wait their turn, in the order they were started.
 */
import { VaultError } from '../errors.js';

export const IMPORT_SLOTS = 2;

export class ImportSlots {
  private running = 0;
  private readonly waiting: { start: () => void }[] = [];

  constructor(private readonly size = IMPORT_SLOTS) {}

  /**
   * Waits for a free slot; returns its release (call it once, when the file is sealed or failed).
   * An abort of `signal` while waiting leaves the queue at once with `cancelled()` (CANCELLED).
   */
  take(signal?: AbortSignal, cancelled = () => new VaultError('CANCELLED', 'import cancelled')): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(cancelled());
    const release = () => {
      this.running--;
      this.waiting.shift()?.start();
    };
    if (this.running < this.size) {
      this.running++;
      return Promise.resolve(release);
    }
    return new Promise((resolve, reject) => {
      const entry = {
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          this.running++;
          resolve(release);
        },
      };
      const onAbort = () => {
        this.waiting.splice(this.waiting.indexOf(entry), 1);
        reject(cancelled());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(entry);
    });
  }
}

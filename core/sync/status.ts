/** Observable sync status for the UI (VaultApi.onStatus): connection, outbox size, transfers,
 *  the last typed error. Listeners get a fresh snapshot on every change. */
import type { VaultError } from '../errors.js';
import type { ConnectionState, SyncStatus, Transfer } from '../vault-api.js';

export class StatusHub {
  private status: SyncStatus = { connection: 'offline', pending: 0, transfers: [] };
  private readonly listeners = new Set<(s: SyncStatus) => void>();
  private readonly transfers = new Map<string, Transfer>();

  get current(): SyncStatus {
    return { ...this.status, transfers: [...this.transfers.values()].map((t) => ({ ...t })) };
  }

  subscribe(l: (s: SyncStatus) => void): () => void {
    this.listeners.add(l);
    l(this.current);
    return () => this.listeners.delete(l);
  }

  setConnection(c: ConnectionState): void {
    if (this.status.connection === c) return;
    this.status = { ...this.status, connection: c };
    this.emit();
  }
  setPending(n: number): void {
    if (this.status.pending === n) return;
    this.status = { ...this.status, pending: n };
    this.emit();
  }
  setError(e: VaultError | undefined): void {
    this.status = e ? { ...this.status, lastError: { code: e.code, message: e.message } } : { connection: this.status.connection, pending: this.status.pending, transfers: [] };
    this.emit();
  }
  /** Start/advance a transfer; `done === total` ends it. */
  transfer(key: string, t: Transfer): void {
    if (t.done >= t.total) this.transfers.delete(key);
    else this.transfers.set(key, t);
    this.emit();
  }

  private emit(): void {
    const s = this.current;
    for (const l of this.listeners) {
      try { l(s); } catch { /* a listener's bug must not stop sync */ }
    }
  }
}

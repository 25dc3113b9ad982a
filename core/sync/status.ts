/** Observable sync status for the UI (VaultApi.onStatus): connection, outbox size, transfers,
 *  the last typed error. Listeners get a fresh snapshot on every change. */
import type { VaultError, VaultErrorCode } from '../errors.js';
import type { ConnectionState, SyncStatus, Transfer, WipeNotice } from '../vault-api.js';

const TRANSIENT: ReadonlySet<VaultErrorCode> = new Set(['RELAY_UNREACHABLE', 'PROTOCOL_MISMATCH']);

export class StatusHub {
  private status: SyncStatus = { connection: 'offline', pending: 0, transfers: [] };
  private readonly listeners = new Set<(s: SyncStatus) => void>();
  private readonly transfers = new Map<string, Transfer>();
  /** A transient error the connection reported: it no longer holds once the connection is back. */
  private connectionError: VaultError | undefined;

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
  /**
   * The connection's state, with the error it reported (a close code's meaning). Back online, a
   * transient one (a protocol error, the relay unreachable) is cleared, unless something else was
   * reported after it; news such as "blocked from a share" or "a share was deleted" stays.
   */
  connectionChanged(c: ConnectionState, err?: VaultError): void {
    if (err) {
      this.connectionError = TRANSIENT.has(err.code) ? err : undefined;
      this.setConnection(c);
      this.setError(err);
      return;
    }
    const stale = c === 'online' && this.connectionError !== undefined && this.status.lastError?.message === this.connectionError.message;
    if (c === 'online') this.connectionError = undefined;
    this.setConnection(c);
    if (stale) this.setError(undefined);
  }
  setPending(n: number): void {
    if (this.status.pending === n) return;
    this.status = { ...this.status, pending: n };
    this.emit();
  }
  setError(e: VaultError | undefined): void {
    const { lastError: _, ...rest } = this.status;
    this.status = e ? { ...rest, lastError: { code: e.code, message: e.message } } : rest;
    this.emit();
  }
  /** A verified wipe order waits for the user. */
  setWipe(w: WipeNotice): void {
    this.status = { ...this.status, wipe: { ...w } };
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

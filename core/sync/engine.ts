/**
 * The offline-first sync engine of one device (DESIGN.md §5). One serial worker:
 *   1. drain the outbox in order (share creation, log appends, record pushes with their chunks);
 *   2. pull every dirty share: membership log first (so authors can be verified), then
 *      records by sequence number.
 * `kick()` after every local change and on every `changed` notice; reconnects kick too.
 * Crypto and merge policy live in the vault (EngineHooks), so this file only moves ciphertext.
 */
import { VaultError, isVaultError } from '../errors.js';
import type { ItemId, ShareId } from '../ids.js';
import type { RecordEnvelope } from '../model/record.js';
import { drainOutbox, isRelayBusy, RELAY_BUSY } from './outbox.js';
import { pullShare } from './pull.js';
import type { EngineDeps } from './engine-deps.js';

/** At most this many fresh envelopes are kept for the next drain (e.g. many saves offline). */
const FRESH_MAX = 256;

export type { EngineDeps, EngineHooks } from './engine-deps.js';

const RETRY_MS = 30_000;

export class SyncEngine {
  private running: Promise<void> | null = null;
  private again = false;
  private readonly dirty = new Set<ShareId>();
  private readonly dirtyLogs = new Set<ShareId>();
  /** Share → highest seq announced by a `changed` notice since its last pull. */
  private readonly noticeSeq = new Map<ShareId, number>();
  /**
   * Share → lastSeq this engine has seen stored (by its own pulls and acknowledged pushes; only
   * ever raised). A notice is checked against it, so neither the echo of our own push nor a
   * real change costs a store read before the pull goes out.
   */
  private readonly knownSeq = new Map<ShareId, number>();
  /** Share → relay generation of its last pull or notice (a notice under another one is never skipped). */
  private readonly knownGen = new Map<ShareId, string>();
  /** Outbox id → envelope written with it just now (the push needs no read back); bounded. */
  private readonly fresh = new Map<number, RecordEnvelope>();
  private drainWanted = true;
  private idleWaiters: (() => void)[] = [];
  private closed = false;
  /** A drain retry is scheduled after a "not now" refusal (the handle), and its error shown. */
  private retryTimer: unknown = null;
  private busyShown = false;

  constructor(private readonly d: EngineDeps) {}

  /**
   * Pull these shares and drain the outbox, now (or right after the current pass). `fresh`: the
   * envelope just written with outbox entry `id` (store.putWithOutbox), pushed without a read.
   */
  kick(shares?: ShareId[], opts: { log?: boolean; drain?: boolean; fresh?: { id: number; envelope: RecordEnvelope } } = {}): void {
    if (this.closed) return;
    if (opts.drain !== false) this.drainWanted = true;
    if (opts.fresh && this.fresh.size < FRESH_MAX) this.fresh.set(opts.fresh.id, opts.fresh.envelope);
    for (const s of shares ?? []) {
      this.dirty.add(s);
      if (opts.log) this.dirtyLogs.add(s);
    }
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => {
      this.running = null;
      if (this.again && !this.closed) this.kick();
      else this.notifyIdle();
    });
  }

  /**
   * A live `changed{share, seq}` notice. Our own pushes advance the local seq when nothing came
   * in between (outbox.ts), so the echo of our own push costs no pull.
   */
  notice(share: ShareId, seq: number, generation?: string): void {
    // Under a generation this engine has not pulled in, the seq proves nothing: always pull.
    // (Also when this session has not pulled the share yet: its stored position may be from another generation.)
    const fresh = generation !== undefined && this.knownGen.get(share) !== generation;
    this.noticeSeq.set(share, fresh ? Number.MAX_SAFE_INTEGER : Math.max(seq, this.noticeSeq.get(share) ?? 0));
    if (fresh) this.knownSeq.delete(share);
    this.kick([share], { drain: false });
  }

  /** Everything known and on-line: full pull of every share + log. */
  kickAll(shares: ShareId[]): void {
    this.kick(shares, { log: true });
  }

  /** Resolves when the worker has nothing left to do (or is offline). */
  idle(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  close(): void {
    this.closed = true;
    if (this.retryTimer !== null) {
      if (this.d.retry) this.d.retry.clock.clearTimeout(this.retryTimer);
      else clearTimeout(this.retryTimer as ReturnType<typeof setTimeout>);
      this.retryTimer = null;
    }
    this.fresh.clear();
    this.knownSeq.clear();
    this.notifyIdle();
  }

  /** One drain retry after a "not now" refusal (the pending changes stay in the outbox). */
  private retryLater(): void {
    if (this.retryTimer !== null || this.closed) return;
    const clock = this.d.retry?.clock;
    const run = () => {
      this.retryTimer = null;
      this.kick();
    };
    const ms = this.d.retry?.ms ?? RETRY_MS;
    this.retryTimer = clock ? clock.setTimeout(run, ms) : setTimeout(run, ms);
  }

  private seen(share: ShareId, lastSeq: number): void {
    if (lastSeq > (this.knownSeq.get(share) ?? -1)) this.knownSeq.set(share, lastSeq);
  }

  private notifyIdle(): void {
    const w = this.idleWaiters;
    this.idleWaiters = [];
    for (const r of w) r();
  }

  /**
   * After a reconnect (shares marked for a log sync), each such share's membership log and
   * records are pulled before the drain: an edit written offline while the share was rotated is
   * then pushed under the newest epoch (hooks.freshen), and a relay that went back in time
   * (DESIGN.md §9) is found — and its lost versions queued again — before a queued edit lands on
   * a head it was not based on. A failure here is left to the regular pass (a share created
   * offline has no log on the relay until its `share.create` is drained).
   */
  private async logsFirst(): Promise<void> {
    for (const share of [...this.dirtyLogs]) {
      try {
        await this.d.hooks.syncLog(share);
        this.dirtyLogs.delete(share);
        this.dirty.delete(share);
        this.noticeSeq.delete(share);
        await this.pull(share, undefined);
      } catch (e) {
        if (isVaultError(e, 'RELAY_UNREACHABLE')) throw e;
        this.dirty.add(share); // the regular pass pulls it again and reports what fails
      }
    }
  }

  /** Pull one share from `since` (stored position if undefined); a rollback queues its re-uploads. */
  private async pull(share: ShareId, since: number | undefined): Promise<void> {
    const pulled = await pullShare(this.d, share, since);
    if (pulled.generation) this.knownGen.set(share, pulled.generation);
    if (pulled.rolledBack) {
      this.knownSeq.set(share, pulled.lastSeq); // lowered: the relay's history restarted
      this.drainWanted = true; // the re-uploads wait in the outbox
      this.again = true;
    } else this.seen(share, pulled.lastSeq);
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      if (this.d.conn.state !== 'online') return;
      try {
        if (this.drainWanted) {
          this.drainWanted = false;
          await this.logsFirst();
          await drainOutbox(this.d, { fresh: this.fresh, seen: (share, seq) => this.seen(share, seq) });
          if (this.busyShown) {
            // everything kept went through: the "kept, will sync later" notice no longer holds
            this.busyShown = false;
            const last = this.d.status.current.lastError?.code;
            if (last && RELAY_BUSY.has(last)) this.d.status.setError(undefined);
          }
        }
        for (const share of [...this.dirty]) {
          this.dirty.delete(share);
          const withLog = this.dirtyLogs.delete(share);
          const announced = this.noticeSeq.get(share);
          this.noticeSeq.delete(share);
          let since: number | undefined;
          if (!withLog && announced !== undefined) {
            since = this.knownSeq.get(share) ?? (await this.d.store.getSyncState(share))?.lastSeq;
            if (since !== undefined && since >= announced) continue; // already have it (our own push)
          }
          try {
            if (withLog) await this.d.hooks.syncLog(share);
            await this.pull(share, since);
          } catch (e) {
            if (isVaultError(e, 'RELAY_UNREACHABLE')) {
              this.dirty.add(share);
              if (withLog) this.dirtyLogs.add(share);
              throw e;
            }
            this.d.hooks.error(isVaultError(e) ? e : new VaultError('INTERNAL', `SyncEngine: pulling share ${share} failed`, { cause: e }));
          }
        }
      } catch (e) {
        if (isVaultError(e, 'RELAY_UNREACHABLE') || this.closed) return; // resumes on reconnect
        if (isRelayBusy(e)) {
          this.busyShown = true;
          this.d.hooks.error(e);
          this.retryLater();
          return;
        }
        this.d.hooks.error(isVaultError(e) ? e : new VaultError('INTERNAL', 'SyncEngine: failed', { cause: e }));
      }
    } while (this.again && !this.closed);
  }
}

export type { ItemId };

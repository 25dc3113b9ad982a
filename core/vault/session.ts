/**
 * An unlocked vault on one device: account keys (memory only), the local store, the relay
 * connection, the sync engine, verified share states and the keyring. The VaultApi methods
 * (api.ts, items.ts, files.ts) are thin functions over this object.
 */
import { canonicalJson } from '../canonical.js';
import { fromB64url, toB64url } from '../encoding.js';
import { VaultError, isVaultError } from '../errors.js';
import type { ItemId, ShareId, TeamId } from '../ids.js';
import type { SignPublicKey } from '../crypto/key-types.js';
import { lockAccount, type AccountKeys } from '../model/account.js';
import type { OpenContext, SealContext } from '../model/item.js';
import { verifyRecord, type RecordEnvelope } from '../model/record.js';
import type { StoredRecord, VaultStore } from '../store/vault-store.js';
import { systemClock, type Clock } from '../sync/clock.js';
import { Connection } from '../sync/connection.js';
import { SyncEngine } from '../sync/engine.js';
import { fetchKeys, fetchLog } from '../sync/relay-api.js';
import { StatusHub } from '../sync/status.js';
import type { LauncherDeps } from './deps.js';
import { authSig } from './identity.js';
import { INTEGRITY, Keyring, memberKeySource } from './keyring.js';
import { basicLogVerifier, entryHash, parseLogEntry, type LogVerifier, type ShareState } from './membership.js';
import { chunkSizes } from './files.js';
import type { GuestAccess } from '../share/guest-access.js';
import { checkCodeAuthor } from '../share/authors.js';
import { freshenPending } from '../share/freshen.js';
import { rebaseHook, redeleteHook, reuploadHook } from './rebase.js';
import { reportUndelivered } from './undelivered.js';
import { TeamRoster } from './team-roster.js';
import { confirmJoins, verifyWipeOrder } from './team.js';
import { uploadCheckpoint } from './checkpoints.js';
import { blockMember } from '../share/members.js';
import type { WipeNotice } from '../vault-api.js';
import { verifyPulledRecord } from './items.js';
import { ImportSlots } from './import-slots.js';
import { loadIndex, trackWrites } from './item-index.js';
import type { LocalChangeSink, SealingPort, ShareStatePort, VaultParts } from './ports.js';
import type { TeamPorts } from './team-ports.js';

/** Implements every narrow port (ports.ts, team-ports.ts) the modules it wires take. */
export class Session implements ShareStatePort, SealingPort, LocalChangeSink, VaultParts, TeamPorts {
  readonly status = new StatusHub();
  /** Files sealed at once (import-slots.ts). */
  readonly importSlots = new ImportSlots();
  readonly conn: Connection;
  readonly engine: SyncEngine;
  readonly keyring: Keyring;
  readonly clock: Clock;
  readonly verifier: LogVerifier;
  readonly shares = new Map<ShareId, ShareState>();
  /** The verified team roster (members only; a guest has none). */
  readonly roster: TeamRoster;
  /** A verified wipe order waiting for the user (export first): see finishWipe(). */
  pendingWipe: WipeNotice | null = null;
  private checkpointTimer: unknown = null;
  private readonly changeListeners = new Set<(share: string) => void>();
  /** Set for the first connection of a brand-new team: the auth frame is `team.create`. */
  firstAuth: ((nonce: Uint8Array) => Record<string, unknown>) | null = null;
  /** Sealed summary indexes read from the store while Argon2id ran (unlock); each is taken once (item-index.ts). */
  prefetchedIndexes: Map<string, Promise<Uint8Array | undefined>> | null = null;
  /** Each share's records, read while Argon2id ran (unlock); used while nothing was written since (item-index.ts). */
  prefetchedRecords: Map<string, Promise<StoredRecord[]>> | null = null;
  locked = false;

  /** `guest`: an access-code session (core/share/guest.ts) instead of an account's device. */
  constructor(readonly deps: LauncherDeps, readonly store: VaultStore, readonly keys: AccountKeys, readonly relayUrl: string, readonly guest?: GuestAccess) {
    store = this.store = trackWrites(this, store); // item listings are reused until a write (item-index.ts)
    this.clock = deps.clock ?? systemClock;
    this.verifier = basicLogVerifier;
    this.keyring = new Keyring(store, guest?.keySource ?? memberKeySource(keys.team, keys.account, keys.box),
      (share, epoch) => { const c = this.shares.get(share)?.keyCommits.get(epoch); return c ? fromB64url(c) : undefined; },
      (share) => this.refreshForKey(share)); // a key needs its verified commitment too
    this.conn = new Connection({
      url: relayUrl, webSocketFactory: deps.webSocketFactory, clock: this.clock, backoff: { random: deps.random, ...deps.backoff },
      requestTimeoutMs: deps.requestTimeoutMs, keepaliveMs: deps.keepaliveMs,
      authenticate: async (nonce) => {
        if (this.firstAuth) return this.firstAuth(nonce);
        if (this.guest) return this.guest.authenticate(nonce);
        const dev = keys.device;
        if (!dev) throw new VaultError('INTERNAL', 'Session.authenticate: this account has no device key here');
        return { type: 'auth', method: 'device', team: keys.team, device: dev.id, sig: authSig(dev.sign.secretKey, nonce, keys.team, 'device', dev.id) };
      },
      onWelcome: (w) => void this.onWelcome(w.shares as unknown as ShareId[]).catch((e: unknown) => this.status.setError(isVaultError(e) ? e : new VaultError('INTERNAL', 'Session.onWelcome: failed', { cause: e }))),
      onNotice: (n) => {
        if (n.type === 'changed') this.engine.notice(n.share as unknown as ShareId, n.seq, n.generation);
        else if (n.type === 'log') this.engine.kick([n.share as unknown as ShareId], { log: true, drain: false });
        else void this.teamChanged(n.type === 'joinrequest');
      },
      onWipe: (order) => this.onWipeOrder(order),
    });
    this.roster = new TeamRoster({ store, conn: this.conn, keys, clock: this.clock });
    // warmNames fails when the vault locked meanwhile (the store is closed): names stay as they were
    this.roster.onChange(() => void this.roster.warmNames().catch(() => undefined).finally(() => { this.emitChange(''); this.scheduleCheckpoint(); }));
    this.conn.onState((s, err) => this.status.connectionChanged(s, err));
    this.engine = new SyncEngine({
      store, conn: this.conn, status: this.status, retry: { clock: this.clock, ms: deps.backoff?.maxMs ?? 30_000 },
      hooks: {
        verify: (share, env) => verifyPulledRecord(this, share, env), // verified and opened once (item-index.ts)
        rebase: rebaseHook(this),
        reupload: reuploadHook(this),
        redelete: redeleteHook(this),
        undelivered: () => void reportUndelivered(this),
        rolledBack: (share, n) => this.status.setError(new VaultError('SERVER_ROLLED_BACK', `sync: the relay lost changes of share ${share}; ${n} uploaded again`), n),
        syncLog: async (share) => { await this.syncLog(share); },
        freshen: (share, env) => freshenPending(this, share, env),
        changed: (share) => this.emitChange(share),
        error: (e) => this.status.setError(e),
        chunkSizes: (share, env) => chunkSizes(this, share, env),
      },
    });
  }

  get team(): TeamId {
    return this.keys.team;
  }

  async start(): Promise<void> {
    if (!this.guest) {
      await this.roster.load();
      await this.roster.warmNames();
    }
    const shares = (await this.store.listSyncStates()).map((s) => s.share).filter((s) => String(s) !== String(this.team));
    // Decrypted while the rest starts; the first listing awaits the same promise, and a failed read surfaces there.
    for (const share of shares) loadIndex(this, share).catch(() => undefined);
    for (const share of shares) await this.loadShare(share);
    this.status.setPending(await this.store.countOutbox());
    await reportUndelivered(this);
    this.conn.start();
  }

  onChange(l: (share: string) => void): () => void {
    this.changeListeners.add(l);
    return () => this.changeListeners.delete(l);
  }
  /**
   * After a local write: push it now (before anything else), count the outbox, tell the UI.
   * `fresh`: the envelope just written with outbox entry `id` (its push then needs no read).
   */
  async afterLocalChange(share: ShareId, fresh?: { id: number; envelope: RecordEnvelope }): Promise<void> {
    this.engine.kick(undefined, { fresh }); // drain only: our own change needs no pull (a `changed` notice brings others')
    this.status.setPending(await this.store.countOutbox());
    this.emitChange(share);
  }

  emitChange(share: string): void {
    for (const l of this.changeListeners) {
      try { l(share); } catch { /* listener bug */ }
    }
  }

  private async onWelcome(shares: ShareId[]): Promise<void> {
    this.firstAuth = null;
    if (!this.guest) await this.teamChanged(true);
    const known = new Set((await this.store.listSyncStates()).map((s) => s.share));
    for (const s of shares) if (!known.has(s)) await this.store.putSyncState({ share: s, lastSeq: 0 });
    // Only shares the relay lets us read (a share we were blocked from is no longer listed; its
    // local copy stays readable under the keys we had, nothing new arrives).
    this.engine.kickAll(shares);
  }

  /**
   * The roster changed (or a join request waits, or we just connected): verify the new entries;
   * as an admin confirm waiting joins; block members the team removed in shares we administer.
   */
  async teamChanged(joins: boolean): Promise<void> {
    if (this.guest || this.locked) return;
    try {
      const st = await this.roster.sync();
      if (!st.members.get(this.keys.account)?.active) return;
      if (joins) await confirmJoins(this);
      await this.blockRemovedInShares();
    } catch (e) {
      this.status.setError(isVaultError(e) ? e : new VaultError('INTERNAL', 'Session.teamChanged: failed', { cause: e }));
    }
  }

  private blocking: Promise<void> = Promise.resolve();
  /**
   * Shares this account administers where someone the team removed is still an active member:
   * block them (rotates codes they knew). One pass at a time (a removal and its roster notice
   * both ask); a member another admin blocked meanwhile is simply done.
   */
  blockRemovedInShares(): Promise<void> {
    const run = async () => {
      const st = this.roster.state;
      if (!st) return;
      for (const share of [...this.shares.keys()]) {
        const ss = this.shares.get(share)!;
        const me = ss.members.get(this.keys.account);
        if (!me || me.blocked || (me.role !== 'owner' && me.role !== 'admin')) continue;
        for (const m of [...ss.members.values()]) {
          if (m.blocked || m.account === ss.owner || st.members.get(m.account)?.active !== false) continue;
          await blockMember(this, share, m.account).catch((e: unknown) => { if (!isVaultError(e, 'NOT_FOUND')) throw e; });
        }
      }
    };
    this.blocking = this.blocking.catch(() => undefined).then(run);
    return this.blocking;
  }

  /** Uploads this device's signed checkpoint a moment after a head moved (coalesced). */
  scheduleCheckpoint(): void {
    if (this.guest || this.checkpointTimer !== null || this.locked) return;
    this.checkpointTimer = this.clock.setTimeout(() => {
      this.checkpointTimer = null;
      if (this.conn.state === 'online' && !this.locked) void uploadCheckpoint(this).catch(() => undefined);
    }, 500);
  }

  /**
   * The relay said `wipe`. Only a verified order (core/vault/team.ts verifyWipeOrder) deletes
   * anything; with unsynced changes and no "lost or stolen" the user may export first
   * (SyncStatus.wipe, then finishWipe()). A bare `wipe` locks the vault and deletes nothing.
   */
  private async onWipeOrder(order: unknown): Promise<VaultError> {
    const ok = this.guest ? undefined : verifyWipeOrder(this, order);
    if (!ok) {
      await this.lock().catch(() => undefined);
      return new VaultError('WIPE_UNVERIFIED', 'Session: the relay removed this device, but the order could not be verified; nothing was deleted');
    }
    const pending = await this.store.countOutbox();
    const err = new VaultError('DEVICE_WIPED', 'Session: this device was removed by a signed order');
    if (ok.lost || pending === 0) {
      await this.wipeLocal();
      return err;
    }
    this.engine.close();
    this.pendingWipe = { by: await this.roster.nameOf(ok.by), lost: false, pendingChanges: pending };
    this.status.setWipe(this.pendingWipe);
    return err;
  }

  async finishWipe(): Promise<void> {
    if (!this.pendingWipe) throw new VaultError('NOT_FOUND', 'finishWipe: no wipe order is waiting');
    this.pendingWipe = null;
    await this.wipeLocal();
  }

  /** Replay the locally stored log of a share into memory. */
  async loadShare(share: ShareId): Promise<ShareState | undefined> {
    const rows = await this.store.getLogEntries(share);
    if (rows.length === 0) return undefined;
    const state = this.verifier.replay(share, rows.map((r) => parseLogEntry(r.raw)));
    this.shares.set(share, state);
    return state;
  }

  /** Fetch new log entries, verify them, store them; then fetch key wraps. */
  async syncLog(share: ShareId): Promise<ShareState> {
    const cur = this.shares.get(share) ?? (await this.loadShare(share));
    // Ask from the verified head itself: a relay that no longer has it rolled the log back;
    // one that serves it changed forked it (the verifier compares it).
    const entries = await fetchLog(this.conn, share, cur ? cur.head.index : 0);
    if (cur && entries.length === 0) throw new VaultError('LOG_ROLLED_BACK', `syncLog: the relay no longer has entry ${cur.head.index} of share ${share}`);
    let state = cur;
    if (entries.length > 0) state = this.verifier.replay(share, entries.map((e) => parseLogEntry(e)), cur);
    const pin = (await this.store.getSyncState(share))?.minLog;
    if (pin && state) {
      // A checkpoint this account signed on another device: a shorter log is a rollback, another entry there a fork.
      if (state.head.index < pin.index) throw new VaultError('LOG_ROLLED_BACK', `syncLog: share ${share} has ${state.head.index + 1} log entries; this account has verified ${pin.index + 1}`);
      const at = state.entries[pin.index];
      if (at && entryHash(at) !== pin.hash) throw new VaultError('LOG_FORKED', `syncLog: entry ${pin.index} of share ${share} differs from this account's checkpoint`);
    }
    if (state && state.head.index !== cur?.head.index) {
      await this.store.putLogEntries(entries.map((e) => ({ share, index: e.index, raw: canonicalJson(e) })));
      await this.store.patchSyncState(share, { logHead: state.head });
      this.shares.set(share, state);
      this.scheduleCheckpoint();
    }
    if (!state) throw new VaultError('NOT_FOUND', `syncLog: share ${share} has no membership log`);
    await this.refreshKeys(share);
    // Told after the keys are stored: a share that shows up can be written at once.
    if (state.head.index !== cur?.head.index) this.emitChange(share);
    return state;
  }

  /**
   * A share key is missing locally: read the log and the wraps. Right after unlock the connection
   * is still being made — wait for it (at most 10 s) instead of calling the key absent.
   */
  private async refreshForKey(share: ShareId): Promise<void> {
    if (this.conn.state === 'connecting') {
      let timer: unknown = null;
      const waited = new Promise<void>((r) => { timer = this.clock.setTimeout(r, 10_000); });
      await Promise.race([this.conn.whenOnline().then(() => undefined, () => undefined), waited]);
      this.clock.clearTimeout(timer);
    }
    await this.syncLog(share);
  }

  async refreshKeys(share: ShareId): Promise<void> {
    const wraps = await fetchKeys(this.conn, share);
    if (wraps.length > 0) await this.store.putWrappedKeys(wraps.map((w) => ({ share, epoch: w.epoch, to: { kind: w.to.kind, id: w.to.id }, wrapped: w.wrapped })));
  }

  /** Verified state of a share (from memory, the local log, or the relay). Throws NOT_FOUND. */
  async shareState(share: ShareId): Promise<ShareState> {
    const s = this.shares.get(share) ?? (await this.loadShare(share));
    if (s) return s;
    if (this.conn.state === 'online') return this.syncLog(share);
    throw new VaultError('NOT_FOUND', `shareState: unknown share ${share}`);
  }

  resolveAuthorKeyFor(share: ShareId) {
    return async (author: { kind: string; id: string }): Promise<SignPublicKey> => {
      const st = await this.shareState(share);
      const c = author.kind === 'code' ? st.codes.get(author.id) : undefined;
      if (c) return fromB64url(c.verifierPk) as SignPublicKey;
      const m = st.members.get(author.id);
      if (author.kind !== 'account' || !m) throw new VaultError('UNKNOWN_AUTHOR', `resolveAuthorKey: ${author.id} is not a member of share ${share}`);
      return fromB64url(m.signPk) as SignPublicKey;
    };
  }

  /** Signature check of a record against the verified member list (refreshing the log once). Returns the author's key. */
  async verifyEnvelope(share: ShareId, env: RecordEnvelope): Promise<SignPublicKey> {
    // A record from an epoch this device's verified log does not know yet (a rotation it has not
    // pulled): read the log first, or its author would look unable to write then — and the
    // record, judged on a stale log, would be skipped for good.
    if (this.conn.state === 'online' && env.epoch > (await this.shareState(share)).epoch) {
      // Best effort: a relay that refuses the log (a blocked member) leaves the check below to refuse the record.
      await this.syncLog(share).catch((e: unknown) => { if (isVaultError(e, 'RELAY_UNREACHABLE') || (isVaultError(e) && INTEGRITY.has(e.code))) throw e; });
    }
    const ctx = { team: this.team, share };
    let pk: SignPublicKey;
    try {
      pk = await verifyRecord(ctx, env, this.resolveAuthorKeyFor(share));
    } catch (e) {
      if (!isVaultError(e, 'UNKNOWN_AUTHOR') || this.conn.state !== 'online') throw e;
      await this.syncLog(share);
      pk = await verifyRecord(ctx, env, this.resolveAuthorKeyFor(share));
    }
    if (env.author.kind === 'code') {
      checkCodeAuthor(await this.shareState(share), env.author.id, env.epoch);
      return pk;
    }
    const m = (await this.shareState(share)).members.get(env.author.id);
    if (m?.blockedAt !== undefined && env.epoch >= m.blockedAt) {
      throw new VaultError('NOT_ALLOWED', `verifyEnvelope: ${env.author.id} was blocked before epoch ${env.epoch}`);
    }
    // A record by someone who never held a writing role during its epoch (a viewer), even if the relay stored it.
    if (m && !m.writeEpochs.has(env.epoch)) {
      throw new VaultError('NOT_ALLOWED', `verifyEnvelope: ${env.author.id} could not write to share ${share} at epoch ${env.epoch}`);
    }
    return pk;
  }

  openCtx(share: ShareId): OpenContext {
    return { team: this.team, share, shareKeyFor: (epoch) => this.keyring.keysFor(share, epoch), resolveAuthorKey: this.resolveAuthorKeyFor(share) };
  }

  async sealCtx(share: ShareId, item: ItemId, version: number, baseVersion: number): Promise<SealContext> {
    const state = await this.shareState(share);
    if (this.guest) {
      if (this.guest.readOnly) throw new VaultError('READ_ONLY', 'sealCtx: this access code is read-only');
      checkCodeAuthor(state, this.guest.code, state.epoch);
      return {
        team: this.team, share, item, version, baseVersion, epoch: state.epoch, shareKey: await this.keyring.keysFor(share, state.epoch),
        author: { kind: 'code', id: this.guest.code }, authorKey: this.keys.sign.secretKey,
      };
    }
    const me = state.members.get(this.keys.account);
    if (!me || me.blocked) throw new VaultError('NOT_ALLOWED', `sealCtx: not a member of share ${share}`);
    if (me.role === 'viewer') throw new VaultError('READ_ONLY', `sealCtx: viewers cannot change share ${share}`);
    const epoch = state.epoch;
    return {
      team: this.team, share, item, version, baseVersion, epoch, shareKey: await this.keyring.keysFor(share, epoch),
      author: { kind: 'account', id: this.keys.account }, authorKey: this.keys.sign.secretKey,
    };
  }

  /** R8: delete the whole local database and key material; stay disconnected. */
  async wipeLocal(): Promise<void> {
    this.engine.close();
    this.keyring.clear();
    this.roster.clear();
    try {
      await this.store.wipe();
    } finally {
      if (!this.locked) lockAccount(this.keys);
      this.locked = true;
    }
  }

  async lock(): Promise<void> {
    if (this.locked) return;
    this.locked = true;
    if (this.checkpointTimer !== null) this.clock.clearTimeout(this.checkpointTimer);
    this.engine.close();
    this.conn.stop();
    this.keyring.clear();
    this.roster.clear();
    this.shares.clear();
    lockAccount(this.keys);
    await this.store.close();
  }

  checkOpen(fn: string): void {
    if (this.locked) throw new VaultError('LOCKED', `${fn}: the vault is locked`);
  }
}

export function b64(bytes: Uint8Array): string {
  return toB64url(bytes);
}

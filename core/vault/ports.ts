/**
 * The narrow ports core/share/* and core/vault/* take instead of the whole Session (issue 18):
 * each module asks for the pieces it uses — `Pick<VaultParts, 'store' | 'clock'> & SealingPort`,
 * say — and Session (session.ts), which implements all of them, only wires. This file imports
 * types only and nothing that imports session.ts, so no module that takes a port is part of an
 * import cycle through the Session. (The team operations have theirs in team-ports.ts.)
 */
import type { ItemId, ShareId, TeamId } from '../ids.js';
import type { SignPublicKey } from '../crypto/key-types.js';
import type { AccountKeys } from '../model/account.js';
import type { OpenContext, SealContext } from '../model/item.js';
import type { RecordEnvelope } from '../model/record.js';
import type { StoredRecord, VaultStore } from '../store/vault-store.js';
import type { Clock } from '../sync/clock.js';
import type { Connection } from '../sync/connection.js';
import type { SyncEngine } from '../sync/engine.js';
import type { StatusHub } from '../sync/status.js';
import type { GuestAccess } from '../share/guest-access.js';
import type { LauncherDeps } from './deps.js';
import type { Keyring } from './keyring.js';
import type { LogVerifier, ShareState } from './membership.js';
import type { TeamRoster } from './team-roster.js';

/** Share state: each share's verified membership, bringing it up to date, checking a record's author. */
export interface ShareStatePort {
  /** Verified states held in memory. */
  readonly shares: ReadonlyMap<ShareId, ShareState>;
  /** The membership-log rules every reader and writer applies. */
  readonly verifier: LogVerifier;
  /** From memory, the local log, or the relay. Throws NOT_FOUND. */
  shareState(share: ShareId): Promise<ShareState>;
  /** Replays the locally stored log into memory. */
  loadShare(share: ShareId): Promise<ShareState | undefined>;
  /** Fetches, verifies and stores new log entries, then key wraps. */
  syncLog(share: ShareId): Promise<ShareState>;
  /** Signature and write-role check of a record; returns the author's key. */
  verifyEnvelope(share: ShareId, env: RecordEnvelope): Promise<SignPublicKey>;
}

/** Opening and sealing a share's records (keys from the keyring, author from this device). */
export interface SealingPort {
  openCtx(share: ShareId): OpenContext;
  sealCtx(share: ShareId, item: ItemId, version: number, baseVersion: number): Promise<SealContext>;
}

/** Where a change made on this device is announced: pushed, counted, shown. */
export interface LocalChangeSink {
  /** After a local write: push it now, count the outbox, tell the UI. */
  afterLocalChange(share: ShareId, fresh?: { id: number; envelope: RecordEnvelope }): Promise<void>;
  /** Tell the UI that a share's data (or, with '', the team) changed. */
  emitChange(share: string): void;
}

/** The other parts of an unlocked vault, each taken by name (Pick<VaultParts, …>). */
export interface VaultParts {
  readonly team: TeamId;
  readonly keys: AccountKeys;
  readonly store: VaultStore;
  readonly conn: Connection;
  readonly engine: SyncEngine;
  readonly status: StatusHub;
  readonly keyring: Keyring;
  readonly roster: TeamRoster;
  readonly clock: Clock;
  readonly deps: LauncherDeps;
  readonly relayUrl: string;
  /** Set for an access-code session (core/share/guest.ts). */
  readonly guest?: GuestAccess;
  readonly locked: boolean;
}

/** What membership changes take (core/share/members.ts, codes.ts and what they call). */
export type ShareAdminPorts = Pick<ShareStatePort, 'shareState' | 'syncLog' | 'verifier'>
  & Pick<VaultParts, 'team' | 'keys' | 'guest' | 'conn' | 'store' | 'engine' | 'clock' | 'keyring' | 'roster' | 'relayUrl' | 'deps'>;

/** What the item listing cache takes (core/vault/item-index.ts). */
export type ItemIndexPorts = Pick<ShareStatePort, 'verifyEnvelope'> & Pick<SealingPort, 'openCtx'>
  & Pick<VaultParts, 'locked' | 'store' | 'status' | 'keys' | 'guest' | 'team'>
  & {
    prefetchedIndexes?: Map<string, Promise<Uint8Array | undefined>> | null;
    prefetchedRecords?: Map<string, Promise<StoredRecord[]>> | null;
  };

/** What the item operations take (core/vault/items.ts and what it calls). */
export type ItemPorts = Omit<ShareStatePort, 'shares'> & SealingPort & LocalChangeSink & VaultParts & {
  /** Writable: creating a share puts its genesis state here. */
  readonly shares: Map<ShareId, ShareState>;
};

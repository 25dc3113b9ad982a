/**
 * The VaultStore port: everything a device keeps locally. It accepts only encrypted forms
 * (RecordEnvelope with a B64Ciphertext body, sealed chunk bytes, wrapped keys, signed log JSON,
 * the encrypted account bundle) so plaintext cannot reach it by type. Implementations:
 * DexieVaultStore (IndexedDB; fake-indexeddb in Node tests) and MemoryVaultStore.
 * All methods reject with VaultError.
 */
import type { ItemId, ShareId } from '../ids.js';
import type { LocalAccountBundle } from '../model/account-bundle.js';
import type { RecordEnvelope } from '../model/record.js';

export interface StoredRecord {
  share: ShareId;
  envelope: RecordEnvelope;
  /** Relay sequence number once acknowledged/pulled; undefined while local only. */
  seq?: number;
}

/** What a pull does with one verified record given the local head (VaultStore.applyPulled). */
export type PulledAction = 'store' | 'delete' | 'skip';

/** A push the relay accepted: the record pushed, its seq, and the outbox entry it settles. */
export interface PushAck {
  envelope: RecordEnvelope;
  seq: number;
  outboxId: number;
}

export interface WrappedKeyRow {
  share: ShareId;
  epoch: number;
  to: { kind: 'account' | 'code'; id: string };
  /** base64url of the wrapped share key (sealed box or code AEAD). */
  wrapped: string;
}

export interface LogEntryRow {
  share: ShareId;
  index: number;
  /** The signed membership log entry exactly as received (canonical JSON text). */
  raw: string;
}

export interface SyncState {
  share: ShareId;
  /** Highest relay seq pulled for this share. */
  lastSeq: number;
  /** The relay data generation `lastSeq` belongs to (DESIGN.md §9; absent before the first pull that carried one). */
  generation?: string;
  /** Last verified membership log head: index and base64url SHA-256 of that entry. */
  logHead?: { index: number; hash: string };
  /** The highest head this account's signed checkpoints name (a fresh device): the log may not be shorter or differ there. */
  minLog?: { index: number; hash: string };
}

/**
 * One pending relay operation. `payload` may hold only public or ciphertext data (signed log
 * entries, wraps); record bodies stay in the records table and are referenced by item+version.
 */
export interface OutboxInput {
  op: string;
  share: ShareId;
  item?: ItemId;
  version?: number;
  hash?: string;
  payload?: string;
}
export interface OutboxEntry extends OutboxInput {
  /** Auto-increment: outbox order. */
  id: number;
  createdAt: number;
  attempts: number;
}

/**
 * What the user of this device decided about an invitation: a share someone else added this
 * account to (core/vault/invitations.ts). Ids and a safety number only, never a share name.
 */
export interface ShareDecision {
  share: ShareId;
  decision: 'accepted' | 'declined';
  /** The inviter (signer of the log entry that added this account) when the user decided. */
  inviter: string;
  /** The inviter's safety number (core/model/fingerprint.ts) the user was shown. */
  inviterFingerprint: string;
  /** ms since epoch. */
  at: number;
}

export interface PendingTransfer {
  id: string;
  share: ShareId;
  item: ItemId;
  direction: 'up' | 'down';
  /** Chunk hashes of the transfer, and how many are done. */
  hashes: string[];
  doneChunks: number;
  totalBytes: number;
}

export interface VaultStore {
  getAccount(): Promise<LocalAccountBundle | undefined>;
  putAccount(bundle: LocalAccountBundle): Promise<void>;

  /** The current (highest-version) record of an item, if any. */
  getRecord(share: ShareId, item: ItemId): Promise<StoredRecord | undefined>;
  listRecords(share: ShareId): Promise<StoredRecord[]>;
  /**
   * Store a record version. A higher version becomes the head and the previous head moves to
   * history; a lower one goes to history; the same version replaces (e.g. to set `seq`).
   */
  putRecord(rec: StoredRecord): Promise<void>;
  /** putRecord for many records in ONE transaction (a pulled page), in order. */
  putRecords(recs: StoredRecord[]): Promise<void>;
  /**
   * putRecord and an outbox entry in ONE transaction; returns the outbox id. `expect`: the local
   * head this version was written on top of (null: none) — if it is no longer the head (sync
   * replaced it meanwhile), nothing is written and it rejects with STALE_VERSION.
   */
  putWithOutbox(rec: StoredRecord, entry: OutboxInput, expect?: { version: number; sig: string } | null): Promise<number>;
  /**
   * Apply one verified pulled page in ONE transaction (sync/pull.ts): for each record in order,
   * `decide(localHead, record)` (synchronous) says whether to store it (as putRecord), delete
   * the item locally (head, history and the chunks they reference) or skip it; then the
   * share's `lastSeq` is raised to `lastSeq` (never lowered; its other fields are kept).
   * Returns how many records were stored or deleted.
   */
  applyPulled(share: ShareId, recs: StoredRecord[], lastSeq: number, decide: (local: StoredRecord | undefined, incoming: StoredRecord) => PulledAction): Promise<number>;
  /**
   * Settle acknowledged pushes of one share in ONE transaction (sync/outbox.ts): each record is
   * stored with its relay seq (a tombstone instead removes its item: head, history and the
   * chunks they reference), its outbox entry is deleted, and the share's `lastSeq` becomes
   * `advance(lastSeq)` (never lower; no row, no change). Returns the share's lastSeq afterwards.
   */
  ackPushes(share: ShareId, acks: PushAck[], advance: (lastSeq: number) => number): Promise<number | undefined>;
  /**
   * Remember items the relay confirmed deleted (a tombstone pulled or acknowledged) with the
   * tombstone's version: a relay restored from an older backup may hold them alive again, and
   * sync deletes them once more (sync/rollback.ts). Only the highest version per item is kept.
   */
  markDeleted(share: ShareId, items: { item: ItemId; version: number }[]): Promise<void>;
  /** What markDeleted remembered for `share`. */
  listDeleted(share: ShareId): Promise<{ item: ItemId; version: number }[]>;
  /** Older versions of an item, ascending by version. */
  history(share: ShareId, item: ItemId): Promise<StoredRecord[]>;
  /** Delete these versions of an item from its history (never the head), in one transaction. */
  deleteHistory(share: ShareId, item: ItemId, versions: number[]): Promise<void>;
  /** Remove an item's head and history (after a tombstone / delete). */
  deleteItem(share: ShareId, item: ItemId): Promise<void>;

  /** `bytes` may be a Blob of the ciphertext (sealed in a Worker): stored by reference where the store can. */
  putChunk(share: ShareId, hash: string, bytes: Uint8Array | Blob): Promise<void>;
  getChunk(hash: string): Promise<Uint8Array | undefined>;
  hasChunks(hashes: string[]): Promise<boolean[]>;
  deleteChunks(hashes: string[]): Promise<void>;

  putWrappedKeys(rows: WrappedKeyRow[]): Promise<void>;
  getWrappedKeys(share: ShareId): Promise<WrappedKeyRow[]>;

  putLogEntries(rows: LogEntryRow[]): Promise<void>;
  /** Entries with index ≥ since, ascending. */
  getLogEntries(share: ShareId, since?: number): Promise<LogEntryRow[]>;

  getSyncState(share: ShareId): Promise<SyncState | undefined>;
  putSyncState(state: SyncState): Promise<void>;
  /**
   * Sets the given fields of a share's sync state in one transaction, leaving the rest (lastSeq
   * above all, which pulls advance concurrently) as stored now. Creates the state if missing.
   */
  patchSyncState(share: ShareId, patch: Partial<Omit<SyncState, 'share' | 'lastSeq'>>): Promise<void>;
  /** Every share this device knows (one sync state row each). */
  listSyncStates(): Promise<SyncState[]>;

  /** Accept/decline decisions about invitations, one row per share (a later put replaces). */
  putShareDecision(d: ShareDecision): Promise<void>;
  listShareDecisions(): Promise<ShareDecision[]>;

  addOutbox(entry: OutboxInput): Promise<number>;
  /** Outbox in order (ascending id), at most `limit`. */
  listOutbox(limit?: number): Promise<OutboxEntry[]>;
  /**
   * Resolving a stale push or a relay rollback, in ONE transaction so a local edit written
   * meanwhile is never thrown away (issue 14): if the item's local head is still `expect` (same
   * version and signature), remove the item's local versions and outbox entries, store `head`
   * (acknowledged, if any), and store each of `pending` (the item's new versions and any
   * conflicted copies) with a push outbox entry, in order. Returns false and changes nothing if
   * the local head moved (the caller resolves again from the new head).
   */
  replaceItem(share: ShareId, item: ItemId, expect: { version: number; sig: string }, head: StoredRecord | undefined, pending: RecordEnvelope[]): Promise<boolean>;
  updateOutbox(id: number, patch: Partial<Pick<OutboxEntry, 'attempts' | 'payload'>>): Promise<void>;
  deleteOutbox(id: number): Promise<void>;
  countOutbox(): Promise<number>;

  /**
   * The sealed summary/search index of a share (core/vault/item-index.ts): AEAD ciphertext under
   * a key derived from the account keys, never plaintext. A later put replaces.
   */
  getSealedIndex(share: ShareId): Promise<Uint8Array | undefined>;
  putSealedIndex(share: ShareId, sealed: Uint8Array): Promise<void>;
  /** This device's favourites of a share (core/vault/favourites.ts): AEAD ciphertext only. A later put replaces. */
  getSealedFavourites(share: ShareId): Promise<Uint8Array | undefined>;
  putSealedFavourites(share: ShareId, sealed: Uint8Array): Promise<void>;

  putTransfer(t: PendingTransfer): Promise<void>;
  listTransfers(): Promise<PendingTransfer[]>;
  deleteTransfer(id: string): Promise<void>;

  /** Delete the whole database (device wipe). The store is unusable afterwards. */
  wipe(): Promise<void>;
  close(): Promise<void>;
}

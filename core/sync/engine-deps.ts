/**
 * What the sync engine (engine.ts) is given: the store, the connection, the status hub, and the
 * vault's hooks for crypto and merge policy. In its own file so that outbox.ts, pull.ts and
 * rollback.ts, which engine.ts drives, can take these without importing the engine back.
 */
import type { VaultError } from '../errors.js';
import type { ShareId } from '../ids.js';
import type { RecordEnvelope } from '../model/record.js';
import type { VaultStore } from '../store/vault-store.js';
import type { Clock } from './clock.js';
import type { Connection } from './connection.js';
import type { StatusHub } from './status.js';

export interface EngineHooks {
  /** Verify a pulled record (signature against the verified member list). Throws to reject it. */
  verify(share: ShareId, env: RecordEnvelope): Promise<void>;
  /**
   * A push was refused as stale. Return the envelopes to push instead, in order (each based on
   * the previous; the first on `head`), and `conflictCopies`: new items (conflicted copies) to
   * push too. The engine stores all of them locally first.
   */
  rebase(share: ShareId, local: RecordEnvelope, head: RecordEnvelope): Promise<{ item: RecordEnvelope[]; copies: RecordEnvelope[]; replaceLocal: boolean }>;
  /** Fetch and verify the membership log and key wraps of a share (called before records). */
  syncLog(share: ShareId): Promise<void>;
  /**
   * A queued version about to be pushed: the envelope to push instead (re-sealed under the
   * share's newest epoch when it was written under an older one), or undefined to push it as is.
   */
  freshen?(share: ShareId, env: RecordEnvelope): Promise<RecordEnvelope | undefined>;
  /**
   * The relay went back in time and lacks `local` (DESIGN.md §9): the envelopes to push instead,
   * on top of `head` (the relay's current head of the item, or null if it has none), including
   * conflicted copies where the relay's head went elsewhere.
   */
  reupload(share: ShareId, local: RecordEnvelope, head: RecordEnvelope | null): Promise<RecordEnvelope[]>;
  /**
   * The relay went back in time and holds `head` alive, but this device saw the item deleted at a
   * later version: the tombstone to push on top of it.
   */
  redelete(share: ShareId, head: RecordEnvelope): Promise<RecordEnvelope>;
  /** A queued push of this share was refused for lack of access: its change is kept locally, undelivered. */
  undelivered?(share: ShareId): void;
  /** Told once per detected rollback of a share, with how many items were queued again. */
  rolledBack?(share: ShareId, reuploaded: number): void;
  /** Chunk sizes of a file record for byte progress (optional). */
  chunkSizes?(share: ShareId, env: RecordEnvelope): Promise<number[] | undefined>;
  /** Data of a share changed locally because of sync. */
  changed(share: ShareId): void;
  /** An operation failed for a reason other than being offline (reported, entry kept). */
  error(e: VaultError): void;
}

export interface EngineDeps {
  store: VaultStore;
  conn: Connection;
  status: StatusHub;
  hooks: EngineHooks;
  /** When the relay refuses for now (STORAGE_FULL, …): try the outbox again after `ms` (default 30 s). */
  retry?: { clock: Clock; ms: number };
}

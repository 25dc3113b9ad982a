/**
 * The relay's storage port. Every method is async so a networked backend (PostgreSQL) can sit
 * behind it; every multi-row change is ONE method (one transaction), never leaked SQL.
 * One TeamStore per team: a session only ever holds the store of the team it authenticated to
 * (R9), so ids of another team cannot even be named.
 */
import type {
  AccountRegistration, CheckpointBody, DeviceRegistration, KdfParams, LogEntry, PushRecord, RelayErrorCode, Role, RosterEntry, StoredRecord, TeamRole, TeamWrap, Wrap,
} from '../../protocol/index.js';
import type { LogEffects } from '../membership.js';

export interface AccountRow {
  id: string;
  signPk: string;
  boxPk: string;
  authPk: string;
  kdf: KdfParams;
  keyBlob: string;
  /** Role in the roster; null while a join awaits confirmation (or after removal). */
  teamRole: TeamRole | null;
  removed: boolean;
}
/** What team.join stored for an admin to confirm. */
export interface JoinRequestRow {
  account: { id: string; signPk: string; boxPk: string };
  device: { id: string; signPk: string; cert: string; platform: DeviceRegistration['platform']; nameEnc: string };
  invite: string;
  nameEnc: string;
  mac: string;
  at: number;
}
/** Table changes a roster append implies (computed by the relay from the shared rules). */
export interface RosterEffects {
  setRoles: { account: string; role: TeamRole }[];
  removed: string[];
  revokedDevices: { device: string; index: number }[];
  /** Join requests answered by a `join` entry (their rows go; the account stays). */
  joined: string[];
}
export type RosterAppendResult = { ok: true; length: number } | (Fail & { length: number });
export type JoinRequestOutcome = 'ok' | 'used' | 'exists';
export interface DeviceRow {
  id: string;
  account: string;
  signPk: string;
  cert: string;
  platform: DeviceRegistration['platform'];
  nameEnc: string;
  lastSeenDay: string | null;
  active: boolean;
  /** Roster index of the device.revoke (or remove) entry that deactivated it. */
  revokedAt: number | null;
}
export interface CodeRow {
  code: string;
  share: string;
  verifierPk: string;
  readOnly: boolean;
  expiresAt: number | null;
  /** UTC day (YYYY-MM-DD) the code last opened a session; null = never. Coarse on purpose (metadata). */
  lastUsedDay: string | null;
}
export interface AuthFailureState {
  count: number;
  /** Unix ms until which auth attempts from this source are refused (0 = none). */
  blockedUntil: number;
}
export interface RateLimitPolicy {
  /** Failures before backoff starts. */
  freeFailures: number;
  /** Failures after which the source is blocked for blockMs. */
  blockAfter: number;
  blockMs: number;
  maxBackoffMs: number;
}

export type Fail = { ok: false; code: RelayErrorCode; message: string };
export type LogApplyResult = { ok: true; index: number; effects: LogEffects } | (Fail & { head?: number });
export type PushOutcome =
  | { ok: true; seqs: number[]; head: number; changed: boolean }
  | { ok: false; code: 'CONFLICT'; item: string; head: StoredRecord | null }
  | Fail;
export type ChunkPutOutcome = 'stored' | 'exists' | 'quota';
/** What dropKeys removed: wrapped keys, record versions, chunk bytes freed. */
export type DropKeysOutcome = { ok: true; wraps: number; versions: number; bytes: number } | Fail;

export interface TeamStore {
  readonly team: string;
  getAccount(id: string): Promise<AccountRow | null>;
  /** Roster entries from index `since` on, ascending. */
  getRoster(since: number): Promise<RosterEntry[]>;
  /**
   * In one transaction: appends `entries` if the roster still has `expectedLength` entries
   * (else LOG_CONFLICT), stores `wraps`, applies `fx`. `check` runs inside the transaction
   * before anything is written and may refuse (its Fail is returned).
   */
  appendRoster(expectedLength: number, entries: RosterEntry[], wraps: TeamWrap[], fx: RosterEffects, check?: () => Fail | null): Promise<RosterAppendResult>;
  /** Team key wraps addressed to `account`, by epoch. */
  teamWraps(account: string): Promise<TeamWrap[]>;
  /**
   * team.join: in one transaction, refuses 'used' if the invitation already has a request (single
   * use), 'exists' if the account or device id exists; otherwise stores the account (team role
   * null), its device, and the request.
   */
  addJoinRequest(invite: string, account: AccountRegistration, device: DeviceRegistration, nameEnc: string, mac: string, now: number): Promise<JoinRequestOutcome>;
  listJoinRequests(): Promise<JoinRequestRow[]>;
  /** Drops a still-pending request with its account and device (the invitation stays used). False if none. */
  rejectJoinRequest(account: string): Promise<boolean>;
  /** Adds a device row and its roster entry (see appendRoster) in one transaction. */
  addDeviceWithEntry(account: string, device: DeviceRegistration, expectedLength: number, entry: RosterEntry): Promise<RosterAppendResult>;
  putCheckpoint(account: string, device: string, body: CheckpointBody, sig: string): Promise<void>;
  checkpoints(account: string): Promise<{ body: CheckpointBody; sig: string }[]>;
  updateAccount(id: string, authPk: string, kdf: KdfParams, keyBlob: string): Promise<void>;
  /** Purges the account, its devices, memberships and wrapped keys. */
  deleteAccount(id: string): Promise<void>;
  getDevice(id: string): Promise<DeviceRow | null>;
  listDevices(account?: string): Promise<DeviceRow[]>;
  touchDevice(id: string, day: string): Promise<void>;
  memberships(account: string): Promise<{ share: string; role: Role }[]>;
  role(share: string, account: string): Promise<Role | null>;
  getCode(code: string): Promise<CodeRow | null>;
  /** The live codes of `share` (rotated and revoked codes are deleted, so they are not listed). */
  codesOf(share: string): Promise<CodeRow[]>;
  /** Records that `code` opened a session on UTC day `day` (YYYY-MM-DD); a no-op for an unknown code. */
  touchCode(code: string, day: string): Promise<void>;
  shareExists(share: string): Promise<boolean>;
  /** Appends entries (share.create when the share does not exist yet) + wraps, applying effects, in one transaction. */
  applyLogEntries(share: string, author: string, entries: LogEntry[], wraps: Wrap[], now: number): Promise<LogApplyResult>;
  getLog(share: string, since: number): Promise<LogEntry[]>;
  getWraps(share: string, to: { kind: 'account' | 'code'; id: string }): Promise<Wrap[]>;
  wrapsOfAccount(account: string): Promise<{ share: string; epoch: number }[]>;
  /**
   * In one transaction: removes every wrapped key of an epoch < below and every non-current
   * record version under such an epoch, with chunks nobody references any more. Refuses
   * (EPOCH_IN_USE) while a current version is under such an epoch, BAD_FIELD if below is past
   * the share's epoch, NOT_FOUND for an unknown share.
   */
  dropKeys(share: string, below: number): Promise<DropKeysOutcome>;
  /**
   * All-or-nothing push with base-version check and idempotent retry; old versions beyond
   * `retention` are purged. With `quotaBytes`, refuses QUOTA_EXCEEDED (nothing written) when the
   * team's stored bytes (see usageBytes) would pass it.
   */
  pushRecords(share: string, records: PushRecord[], retention: number, quotaBytes?: number): Promise<PushOutcome>;
  pull(share: string, since: number, limit: number): Promise<{ records: StoredRecord[]; head: number; more: boolean }>;
  history(share: string, item: string): Promise<StoredRecord[]>;
  /** Also refreshes `now` as the last-touched time of every chunk found (an upload about to be referenced). */
  hasChunks(share: string, hashes: string[], now: number): Promise<boolean[]>;
  getChunk(share: string, hash: string): Promise<Uint8Array | null>;
  /** Stores a chunk whose hash the caller has checked; refuses if the team's stored bytes (see usageBytes) would exceed quotaBytes. */
  putChunk(share: string, hash: string, bytes: Uint8Array, quotaBytes: number, now: number): Promise<ChunkPutOutcome>;
  /**
   * Deletes chunks no record version references that were last uploaded or asked for
   * (chunk.put / chunk.has) before `before` (unix ms): uploads of a client that crashed or gave
   * up before pushing its record. Returns what went.
   */
  purgeOrphanChunks(before: number): Promise<{ chunks: number; bytes: number }>;
  /** Destroys every record, chunk, log entry, code and wrap of the share. */
  deleteShare(share: string): Promise<void>;
  /** The team's stored bytes: chunk bytes plus record bodies (kept as running counters, not summed per call). */
  usageBytes(): Promise<number>;
}

export interface RelayStorage {
  /**
   * True for a networked backend whose access checks and writes may complete out of order: the
   * relay then runs a session's writes one after another instead of pipelining them.
   */
  readonly serialWrites?: boolean;
  /** Ids of every team (for maintenance sweeps). */
  listTeams(): Promise<string[]>;
  /** Resolves if the database answers (for /healthz); rejects otherwise. */
  ping?(): Promise<void>;
  /**
   * Creates the team with its first account + device, roster (genesis + device.add) and team key
   * wrap; false if the team exists; 'full' (nothing made) if `maxTeams` (> 0) teams exist already.
   */
  createTeam(team: string, account: AccountRegistration, device: DeviceRegistration, roster: RosterEntry[], wraps: TeamWrap[], now: number, maxTeams?: number): Promise<boolean | 'full'>;
  /** Stores a one-time enrollment token (by its SHA-256, base64url) valid until `expiresAt`. */
  addEnrollmentToken(hash: string, expiresAt: number, now: number): Promise<void>;
  /** Uses up the token: true once if it exists and has not expired. */
  useEnrollmentToken(hash: string, now: number): Promise<boolean>;
  /** The team's store, or null for an unknown team. */
  openTeam(team: string): Promise<TeamStore | null>;
  recordAuthFailure(sourceKey: string, now: number, policy: RateLimitPolicy): Promise<AuthFailureState>;
  authFailureState(sourceKey: string): Promise<AuthFailureState | null>;
  /** Deletes failure rows last touched before `before` or after `after` (unix ms; a clock set back); returns how many. */
  purgeAuthFailures(before: number, after?: number): Promise<number>;
  /** A random per-installation secret (keys the source-address hash and fake KDF answers). */
  relaySecret(): Promise<Uint8Array>;
  /**
   * The generation of this data (DESIGN.md §9): a random id made when the data was first opened
   * and made anew by every `truhe-relay restore`, so clients can tell that sequence numbers they
   * saw before belong to a history this relay no longer has. Base64url, 22 characters.
   */
  generation?(): Promise<string>;
  close(): Promise<void>;
  /** Re-runs the team's integrity check (a quarantined team that passes serves again); true if healthy. */
  checkTeam?(team: string): Promise<boolean>;
  /** Counts for /healthz and /metrics (no ids): teams whose storage is unavailable, team databases open. */
  health?(): { unavailableTeams: number; openTeams: number };
  /**
   * Teams and stored bytes (every team's usageBytes) of the whole relay, from running totals (no
   * scan per call): exact on SQLite (one process), refreshed every few seconds plus this
   * instance's own writes on PostgreSQL. Recomputed from a small table at start-up.
   */
  usage(): RelayUsage;
}

export interface RelayUsage {
  teams: number;
  bytes: number;
}

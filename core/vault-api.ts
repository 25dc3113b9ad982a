/**
 * The one surface the renderer (and the benchmark) uses: a running vault for one device.
 * Implemented by `createVault()` in `core/vault.ts` on top of crypto, model, store and sync.
 * Everything returned here is plaintext held in memory only; `lock()` drops it all.
 * Every method rejects with a VaultError (see errors.ts) — never a bare Error or a string.
 */
import type { VaultErrorCode } from './errors.js';

export type Role = 'owner' | 'admin' | 'editor' | 'viewer';

export interface EmergencyKit {
  relayUrl: string;
  teamId: string;
  accountId: string;
  /** The 128-bit Secret Key formatted for humans, e.g. `A3-XXXXXX-XXXXXX-XXXXX-XXXXX-XXXXX-XXXXX`. */
  secretKey: string;
}

export type ConnectionState = 'offline' | 'connecting' | 'online';

export interface SyncStatus {
  connection: ConnectionState;
  /** Local changes not yet acknowledged by the relay. */
  pending: number;
  transfers: Transfer[];
  /** The last typed failure from the relay (rotated code, blocked, wiped …), if any. */
  lastError?: { code: VaultErrorCode; message: string };
}

export interface Transfer {
  item: string;
  direction: 'up' | 'down';
  done: number; // bytes
  total: number; // bytes
}

export interface ShareSummary {
  id: string;
  name: string;
  myRole: Role | 'guest-read' | 'guest-write';
  epoch: number;
}

/**
 * A share someone else added this account to, not yet accepted on this device. Its items sync
 * (ciphertext) but it is not listed by listShares() until the user accepts it: a relay could
 * fabricate such a share, so the user compares the inviter's safety number first.
 */
export interface Invitation {
  share: string;
  /** Account id of the signer of the log entry that added this account. */
  inviter: string;
  /** The inviter's safety number (same format as Member.fingerprint). */
  inviterFingerprint: string;
  myRole: Role;
  /** ms since epoch, from the signed log entry. */
  at: number;
}

export interface ItemSummary {
  id: string;
  share: string;
  kind: 'note' | 'file';
  title: string; // note title or file name
  tags: string[];
  updatedAt: number; // ms since epoch, from the signed record
  author: string; // display label of the verified author
  version: number;
  conflictOf?: string; // set on a conflicted copy: the item it was split from
  size?: number; // files: bytes
  mime?: string; // files
  /** Notes: lower-cased title and body for local search (memory only; sealed in the local index). */
  text?: string;
}

export interface Note {
  title: string;
  body: string;
  tags: string[];
}

export interface FileSource {
  name: string;
  type: string;
  size: number;
  /** Streams the plaintext; never read whole into memory. */
  stream(): ReadableStream<Uint8Array>;
}

export interface VersionInfo {
  version: number;
  updatedAt: number;
  author: string;
  size: number;
}

export interface Member {
  account: string;
  label: string;
  role: Role;
  blocked: boolean;
  /** Safety number: 12 groups of 5 digits derived from the member's public keys. */
  fingerprint: string;
}

export interface AccessCodeInfo {
  id: string;
  label: string;
  readOnly: boolean;
  expiresAt: number | null;
  live: boolean;
}

export interface NewAccessCode {
  info: AccessCodeInfo;
  /** `TRH-XXXX-XXXX-…` typed form: id and secret. */
  code: string;
  /** `truhe://join?relay=…&team=…&code=<id>.<secret>` */
  link: string;
}

export interface ActivityEntry {
  index: number;
  at: number;
  by: string;
  what:
    | 'created'
    | 'member-added'
    | 'role-changed'
    | 'member-blocked'
    | 'code-created'
    | 'code-rotated'
    | 'code-revoked'
    | 'epoch-rotated';
  subject?: string;
  detail?: string;
}

export interface DeviceInfo {
  id: string;
  name: string;
  platform: string;
  lastSeen: number | null;
  active: boolean;
  current: boolean;
}

export type Progress = (done: number, total: number) => void;

export interface VaultApi {
  /** Subscribe to status changes (connection, outbox, transfers, typed errors). Returns unsubscribe. */
  onStatus(listener: (s: SyncStatus) => void): () => void;
  /** Subscribe to data changes (a share's items or membership changed). */
  onChange(listener: (share: string) => void): () => void;

  lock(): Promise<void>;
  changePassword(oldPassword: string, newPassword: string): Promise<void>;

  /** Shares accepted on this device: created by this account, accepted invitations, or the guest's share. */
  listShares(): Promise<ShareSummary[]>;
  createShare(name: string): Promise<ShareSummary>;
  /** Pending invitations (never accepted nor declined here), oldest first; [] for guests. */
  invitations(): Promise<Invitation[]>;
  /** Accept a pending invitation: the share is listed from now on. NOT_FOUND if there is none. */
  acceptInvitation(share: string): Promise<void>;
  /** Decline: hide the share on this device for good (local only; the relay is not told). NOT_FOUND if there is none. */
  declineInvitation(share: string): Promise<void>;

  listItems(share: string): Promise<ItemSummary[]>;
  readNote(share: string, item: string): Promise<Note>;
  /** Creates (item omitted) or updates a note; returns the item id. */
  saveNote(share: string, note: Note, item?: string): Promise<string>;
  importFile(share: string, file: FileSource, onProgress?: Progress): Promise<string>;
  /** Streams decrypted file content; every chunk is verified before it is emitted. */
  readFile(share: string, item: string, onProgress?: Progress): ReadableStream<Uint8Array>;
  deleteItem(share: string, item: string): Promise<void>;
  history(share: string, item: string): Promise<VersionInfo[]>;
  restoreVersion(share: string, item: string, version: number): Promise<void>;

  members(share: string): Promise<Member[]>;
  addMember(share: string, account: string, role: Role): Promise<void>;
  setRole(share: string, account: string, role: Role): Promise<void>;
  /** Blocks the member (new epoch without them); live codes they knew are rotated too — hand the new ones to the guests. */
  blockMember(share: string, account: string): Promise<{ rotatedCodes: NewAccessCode[] }>;
  accessCodes(share: string): Promise<AccessCodeInfo[]>;
  createAccessCode(share: string, opts: { label: string; readOnly: boolean; expiresAt: number | null }): Promise<NewAccessCode>;
  rotateAccessCode(share: string, code: string): Promise<NewAccessCode>;
  revokeAccessCode(share: string, code: string): Promise<void>;
  reencryptNow(share: string, onProgress?: Progress): Promise<void>;
  activity(share: string): Promise<ActivityEntry[]>;

  devices(): Promise<DeviceInfo[]>;
  deactivateDevice(device: string): Promise<void>;

  /** ZIP of every readable item, decrypted, plus `manifest.json` (R15). */
  exportAll(onProgress?: Progress): ReadableStream<Uint8Array>;
  deleteAccount(): Promise<void>;
  /** What the relay stores about this account (R15), as returned by `account.info`. */
  relayRecord(): Promise<Record<string, unknown>>;
}

/** Entry points before a vault is open (first run, unlock, new device, guest join). */
export interface VaultLauncher {
  hasLocalAccount(): Promise<boolean>;
  createTeam(opts: { relayUrl: string; password: string; deviceName: string }): Promise<{ vault: VaultApi; kit: EmergencyKit }>;
  unlock(password: string): Promise<VaultApi>;
  signInNewDevice(opts: { kit: EmergencyKit; password: string; deviceName: string }): Promise<VaultApi>;
  /** Accepts a `truhe://join?…` link, or a typed code plus the relay URL and team. */
  joinWithCode(opts: { link: string } | { relayUrl: string; team: string; code: string }): Promise<VaultApi>;
}

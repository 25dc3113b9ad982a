/**
 * The one surface the renderer (and the benchmark) uses: a running vault for one device.
 * Made by `createLauncher()` (core/vault.ts → core/vault/launcher.ts: create, unlock or join,
 * each giving a VaultApi) on top of crypto, model, store and sync.
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

export type TeamRole = 'owner' | 'admin' | 'member';

/** The team as this device verified it (signed roster). */
export interface TeamInfo {
  team: string;
  /** The team's name (sealed under the team key; '' while this account's join is pending). */
  name: string;
  /** null while the join awaits a team admin's confirmation. */
  myRole: TeamRole | null;
  me: string;
}

export interface TeamDevice {
  id: string;
  /** Device name (readable by its own account only; others see the platform). */
  name: string;
  platform: string;
  lastSeen: number | null;
  active: boolean;
  current: boolean;
}

/** A person in the verified roster. */
export interface TeamPerson {
  account: string;
  name: string;
  role: TeamRole;
  active: boolean;
  you: boolean;
  /** Safety number over the keys the roster pinned (compare out of band for an extra check). */
  fingerprint: string;
  /** Devices in the roster; details (name, last seen) when the relay lets this account see them. */
  devices: TeamDevice[];
}

export interface TeamInvitationInfo {
  id: string;
  /** Whom it is for, as the inviter noted it ('' if none). */
  label: string;
  role: 'admin' | 'member';
  expiresAt: number;
  /** Name of the person who made it. */
  by: string;
  at: number;
  state: 'live' | 'used' | 'revoked' | 'expired';
}

export interface NewTeamInvitation {
  info: TeamInvitationInfo;
  /** `truhe://team?relay=…&team=…&invite=<id>.<secret>`: pass it on by a channel you trust. */
  link: string;
  /** `TRI-XXXX-…` typed form (with the relay and team given separately). */
  code: string;
}

/** What an invitee sees before it creates a password (from the sealed invitation card). */
export interface InvitationPreview {
  relayUrl: string;
  teamName: string;
  inviterName: string;
  role: 'admin' | 'member';
  expiresAt: number;
}

/** A wipe order this device verified (signed by its own account or a team admin). */
export interface WipeNotice {
  by: string;
  lost: boolean;
  /** Local changes the relay never acknowledged. */
  pendingChanges: number;
}

export interface SyncStatus {
  connection: ConnectionState;
  /** Local changes not yet acknowledged by the relay. */
  pending: number;
  transfers: Transfer[];
  /** The last typed failure from the relay (rotated code, blocked, wiped …), if any. */
  lastError?: { code: VaultErrorCode; message: string; count?: number };
  /** Set when a verified wipe order waits for the user (export first, then finishWipe()). */
  wipe?: WipeNotice;
}

export interface Transfer {
  item: string;
  direction: 'up' | 'down';
  done: number; // bytes
  total: number; // bytes
}

/**
 * Who wrote or did something, as data: the renderer words it ("you"/"Sie", a guest's code,
 * a short id when the roster name is not known). The core never returns display words.
 */
export interface PersonRef {
  /** 'account' for a team member, 'code' for a guest writing with an access code. */
  kind: 'account' | 'code';
  /** Account id or access-code id. */
  id: string;
  /** Name from the verified team roster; '' when this device cannot read it (guests, codes). */
  name: string;
  /** True when this is the account of this session. */
  isMe: boolean;
}

export interface ShareSummary {
  id: string;
  /** The share's decrypted name; '' while its name record has not arrived yet (or is unreadable). */
  name: string;
  /** True when the name record exists but could not be opened. */
  nameUnreadable?: boolean;
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
  /** The inviter's name from the verified team roster ('' if this device cannot read it). */
  inviterName: string;
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
  author: PersonRef; // the verified author
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

/** What `saveNoteEdit` did: `item` is where the text now lives (a conflicted copy's id on 'conflict'). */
export interface NoteSaved {
  item: string;
  /** The text now stored there (the merged text on 'merged'). */
  note: Note;
  outcome: 'saved' | 'merged' | 'conflict';
}

export interface FileSource {
  name: string;
  type: string;
  size: number;
  /** Streams the plaintext; never read whole into memory. */
  stream(): ReadableStream<Uint8Array>;
  /** The file as a Blob (a DOM File), when it is one: a Worker then reads and seals it off the UI thread. */
  blob?: Blob;
}

/** What `replaceFile` did: `item` is where the new content now lives (a conflicted copy's id on 'conflict'). */
export interface FileReplaced {
  item: string;
  outcome: 'replaced' | 'conflict';
}

export interface VersionInfo {
  version: number;
  updatedAt: number;
  author: PersonRef;
  size: number;
  /** Files: the name and MIME type of this version. */
  name?: string;
  mime?: string;
}

export interface Member {
  account: string;
  /** Roster name, or the first 6 characters of the account id when this device cannot read it. */
  label: string;
  /** Roster name; '' when unknown. */
  name: string;
  /** True for the account of this session. */
  isMe: boolean;
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

/** How a live code was used, as the relay saw it (VaultApi.accessCodeUsage). */
export interface AccessCodeUsage {
  id: string;
  /** Start (UTC, ms) of the day the code last opened a session; null = never. Day-coarse on purpose. */
  lastUsed: number | null;
  /** Sessions open with the code now (on the relay instance that answered). */
  openSessions: number;
}

export interface NewAccessCode {
  info: AccessCodeInfo;
  /** Typed form, 7 groups of 4 (`7K3M-Q0TZ-…`, core/model/access-code.ts): tag, secret, 2 check characters. */
  code: string;
  /** `truhe://join?relay=…&team=…&code=<id>.<secret>` */
  link: string;
}

/** One verified membership-log entry as data (the renderer words it). */
export interface ActivityEntry {
  index: number;
  /** ms since epoch, from the signed entry. */
  at: number;
  by: PersonRef;
  what:
    | 'created'
    | 'member-added'
    | 'role-changed'
    | 'member-blocked'
    | 'code-created'
    | 'code-rotated'
    | 'code-revoked'
    | 'epoch-rotated';
  /** The member added, re-roled or blocked. */
  member?: PersonRef;
  /** The access code created, rotated or revoked (its id). */
  code?: string;
  /** The role given (member-added, role-changed). */
  role?: Role;
  /** The new key epoch (member-blocked, epoch-rotated, code-rotated). */
  epoch?: number;
  /** Access codes: read-only (true) or read-write (false). */
  readOnly?: boolean;
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
  /** Subscribe to data changes: a share's items or membership changed (its id), or the team's roster ('' ). */
  onChange(listener: (share: string) => void): () => void;

  lock(): Promise<void>;
  changePassword(oldPassword: string, newPassword: string): Promise<void>;
  /**
   * The emergency kit again, after the password is entered once more (Argon2id, as at unlock):
   * WRONG_PASSWORD when it is not this account's password. Not for guests (NOT_ALLOWED).
   */
  emergencyKit(password: string): Promise<EmergencyKit>;

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
  /** The current note, or an older `version` of it (for a preview before restoring). */
  readNote(share: string, item: string, version?: number): Promise<Note>;
  /** Creates (item omitted) or updates a note; returns the item id. */
  saveNote(share: string, note: Note, item?: string): Promise<string>;
  /**
   * The editor's save: `base` is the text it last loaded or saved. If the note changed meanwhile,
   * the edit is merged three ways, or kept as a conflicted copy when it does not merge.
   */
  saveNoteEdit(share: string, note: Note, item: string | null, base?: Note): Promise<NoteSaved>;
  /**
   * Encrypts `file` into a new item of `share` and uploads it. A few files are sealed at once;
   * the others wait their turn (`onStart` when it comes). Aborting `signal` cancels it
   * (CANCELLED): nothing of it is kept on this device, and the relay drops what it got.
   */
  importFile(share: string, file: FileSource, onProgress?: Progress, opts?: { signal?: AbortSignal; onStart?: () => void }): Promise<string>;
  /** Streams decrypted file content (the current version, or `version`); every chunk is verified before it is emitted. */
  readFile(share: string, item: string, onProgress?: Progress, version?: number): ReadableStream<Uint8Array>;
  /**
   * "Replace with new version…": `file` becomes the next version of file item `item` (one item,
   * the old version stays in the history). `base`: the version the user started from; if the file
   * was replaced or deleted elsewhere since, the new content is kept as a conflicted copy instead.
   */
  replaceFile(share: string, item: string, file: FileSource, opts?: { base?: number; onProgress?: Progress; signal?: AbortSignal; onStart?: () => void }): Promise<FileReplaced>;
  deleteItem(share: string, item: string): Promise<void>;
  history(share: string, item: string): Promise<VersionInfo[]>;
  restoreVersion(share: string, item: string, version: number): Promise<void>;
  /** Item ids starred in this share on this device (sealed locally, core/vault/favourites.ts; never synced). */
  favourites(share: string): Promise<string[]>;
  /** Star (`on`) or un-star an item on this device. */
  setFavourite(share: string, item: string, on: boolean): Promise<void>;

  members(share: string): Promise<Member[]>;
  addMember(share: string, account: string, role: Role): Promise<void>;
  setRole(share: string, account: string, role: Role): Promise<void>;
  /** Blocks the member (new epoch without them); live codes they knew are rotated too — hand the new ones to the guests. */
  blockMember(share: string, account: string): Promise<{ rotatedCodes: NewAccessCode[] }>;
  accessCodes(share: string): Promise<AccessCodeInfo[]>;
  /** Owner/admin, online: last use and open sessions per live code (asks the relay). NOT_ALLOWED for others. */
  accessCodeUsage(share: string): Promise<AccessCodeUsage[]>;
  createAccessCode(share: string, opts: { label: string; readOnly: boolean; expiresAt: number | null }): Promise<NewAccessCode>;
  rotateAccessCode(share: string, code: string): Promise<NewAccessCode>;
  revokeAccessCode(share: string, code: string): Promise<void>;
  reencryptNow(share: string, onProgress?: Progress): Promise<void>;
  activity(share: string): Promise<ActivityEntry[]>;

  devices(): Promise<DeviceInfo[]>;

  /** The team as verified from its signed roster. */
  team(): Promise<TeamInfo>;
  /** Everyone in the verified roster (names decrypted with the team key), active first. */
  people(): Promise<TeamPerson[]>;
  /** Owner/admin: a single-use invitation for a colleague. */
  inviteColleague(opts: { role: 'admin' | 'member'; expiresInHours: number; label?: string }): Promise<NewTeamInvitation>;
  teamInvitations(): Promise<TeamInvitationInfo[]>;
  revokeTeamInvitation(id: string): Promise<void>;
  /** Owner/admin: confirm waiting joins now (also done automatically when a request arrives). Returns how many joined. */
  confirmJoins(): Promise<number>;
  setTeamRole(account: string, role: 'admin' | 'member'): Promise<void>;
  /** Owner/admin: removes from the team, blocks them in every share this account administers (rotating codes they knew); `wipeDevices` also revokes their devices. */
  removeFromTeam(account: string, opts?: { wipeDevices?: boolean }): Promise<void>;
  /** A signed wipe order for a device (own device, or any as team owner/admin). `lost`: no export is offered on it. */
  revokeDevice(device: string, opts?: { lost?: boolean }): Promise<void>;
  /** After a verified wipe order (SyncStatus.wipe): delete local data now. */
  finishWipe(): Promise<void>;

  /** ZIP of the changes the relay refused because this account lost access to their share (decrypted). */
  exportUndelivered(): ReadableStream<Uint8Array>;
  /** ZIP of every readable item, decrypted, plus `manifest.json` (R15). */
  exportAll(onProgress?: Progress): ReadableStream<Uint8Array>;
  deleteAccount(): Promise<void>;
  /** What the relay stores about this account (R15), as returned by `account.info`. */
  relayRecord(): Promise<Record<string, unknown>>;
}

/** Entry points before a vault is open (first run, unlock, new device, guest join). */
export interface VaultLauncher {
  hasLocalAccount(): Promise<boolean>;
  /** The person started typing a password (unlock, sign-in): get Argon2id's memory ready now. Never fails. */
  prepareForPassword(): void;
  /** `enrollmentToken`: from the relay operator (`truhe-relay enroll`), unless the relay allows open enrollment. */
  createTeam(opts: { relayUrl: string; password: string; deviceName: string; displayName: string; teamName: string; enrollmentToken?: string }): Promise<{ vault: VaultApi; kit: EmergencyKit }>;
  /** Reads the invitation card (team and inviter names) before anything is created. */
  previewInvitation(link: string): Promise<InvitationPreview>;
  /**
   * "Check connection": the URL policy, then hello → a Truhe relay's challenge. Throws VaultError
   * INSECURE_RELAY_URL / BAD_FORMAT / RELAY_UNREACHABLE / NOT_A_RELAY / PROTOCOL_MISMATCH.
   */
  checkRelay(url: string): Promise<{ url: string; host: string }>;
  /** Joins with a team invitation: the account exists at once, and waits (TeamInfo.myRole null) until an admin's client confirms it. */
  joinTeam(opts: { link: string; password: string; displayName: string; deviceName: string }): Promise<{ vault: VaultApi; kit: EmergencyKit }>;
  unlock(password: string): Promise<VaultApi>;
  signInNewDevice(opts: { kit: EmergencyKit; password: string; deviceName: string }): Promise<VaultApi>;
  /** Accepts a `truhe://join?…` link, or a typed code plus the relay URL and team. */
  joinWithCode(opts: { link: string } | { relayUrl: string; team: string; code: string }): Promise<VaultApi>;
}

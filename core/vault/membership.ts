/**
 * The membership log of a share (protocol/README.md, "Membership log entries"): building and
 * signing entries, and replaying a chain into the share's verified state (members, roles,
 * epochs with key commitments, codes).
 *
 * `basicLogVerifier.replay()` runs on every log the vault receives, and only the state it
 * returns is trusted: the hash chain, every signature against the author's key as known at that
 * point, and the role rules below.
 */
import { canonicalBytes } from '../canonical.js';
import { fromB64url, toB64url } from '../encoding.js';
import { VaultError } from '../errors.js';
import { sha256 } from '../crypto/hash.js';
import { signDetached, verifyDetached } from '../crypto/sign.js';
import type { SignPublicKey, SignSecretKey } from '../crypto/key-types.js';
import type { Role } from '../vault-api.js';

export const LOG_SIG_DOMAIN = 'truhe/log/v1';

export type LogOp = { t: string } & Record<string, unknown>;
export interface LogEntry {
  share: string;
  index: number;
  prev: string;
  ts: number;
  author: string;
  op: LogOp;
  sig: string;
}

export interface MemberState {
  account: string;
  boxPk: string;
  signPk: string;
  role: Role;
  blocked: boolean;
  /** The epoch the block started: records this member signs for it or later are refused. */
  blockedAt?: number;
  /** Epochs during which this member held a writing role (editor or above) at some point: records of other epochs are refused. */
  writeEpochs: Set<number>;
}
export interface CodeState {
  code: string;
  verifierPk: string;
  readOnly: boolean;
  expiresAt: number | null;
  labelEnc?: string;
  live: boolean;
  /** Epoch current when the code was created (its first readable/writable epoch). */
  fromEpoch: number;
  /** First epoch the code no longer holds (set by code.rotate / code.revoke). */
  untilEpoch?: number;
}
export interface ShareState {
  share: string;
  owner: string;
  members: Map<string, MemberState>;
  codes: Map<string, CodeState>;
  epoch: number;
  /** base64url key commitment per epoch. */
  keyCommits: Map<number, string>;
  head: { index: number; hash: string };
  entries: LogEntry[];
}

export interface LogVerifier {
  /** Verify `entries` (ascending, starting at state.head.index + 1, or 0) and return the new state. Throws LOG_FORKED / BAD_SIGNATURE / NOT_ALLOWED / BAD_FORMAT. */
  replay(share: string, entries: LogEntry[], from?: ShareState): ShareState;
}

const ZERO_HASH = toB64url(new Uint8Array(32));

/** base64url SHA-256 of an entry's canonical bytes (the next entry's `prev`). */
export function entryHash(e: LogEntry): string {
  return toB64url(sha256(canonicalBytes(e)));
}

/** Sign an entry with the author's account signing key. */
export function signLogEntry(unsigned: Omit<LogEntry, 'sig'>, sk: SignSecretKey): LogEntry {
  return { ...unsigned, sig: toB64url(signDetached(sk, LOG_SIG_DOMAIN, canonicalBytes(unsigned))) };
}

/** The next entry after `state` (or the genesis when state is undefined). */
export function nextEntry(share: string, state: ShareState | undefined, author: string, op: LogOp, ts: number, sk: SignSecretKey): LogEntry {
  return signLogEntry({ share, index: state ? state.head.index + 1 : 0, prev: state ? state.head.hash : ZERO_HASH, ts, author, op }, sk);
}

const RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2, owner: 3 };

function need(ok: boolean, code: 'NOT_ALLOWED' | 'BAD_FORMAT', msg: string): void {
  if (!ok) throw new VaultError(code, `replayLog: ${msg}`);
}

function str(op: LogOp, k: string): string {
  const v = op[k];
  need(typeof v === 'string', 'BAD_FORMAT', `op ${op.t} lacks ${k}`);
  return v as string;
}

function applyOp(s: ShareState, e: LogEntry): void {
  const op = e.op;
  const author = s.members.get(e.author)!;
  const myRank = RANK[author.role];
  const at = `entry ${e.index}`;
  need(myRank >= RANK.admin, 'NOT_ALLOWED', `${at}: only an owner/admin may ${op.t}`);
  switch (op.t) {
    case 'add': {
      const role = str(op, 'role') as Role;
      need(role in RANK && role !== 'owner', 'BAD_FORMAT', `${at}: bad role`);
      need(RANK[role] <= myRank, 'NOT_ALLOWED', `${at}: cannot grant a role above the author's`);
      const account = str(op, 'account');
      const cur = s.members.get(account);
      need(cur === undefined || cur.blocked, 'NOT_ALLOWED', `${at}: ${account} is already a member`);
      s.members.set(account, { account, boxPk: key32(op, 'boxPk'), signPk: key32(op, 'signPk'), role, blocked: false, writeEpochs: cur?.writeEpochs ?? new Set() });
      if (RANK[role] >= RANK.editor) s.members.get(account)!.writeEpochs.add(s.epoch);
      return;
    }
    case 'role': {
      const m = s.members.get(str(op, 'account'));
      const role = str(op, 'role') as Role;
      need(role in RANK && role !== 'owner', 'BAD_FORMAT', `${at}: bad role`);
      need(m !== undefined && !m.blocked && m.account !== s.owner, 'NOT_ALLOWED', `${at}: no such member (or the owner)`);
      need(RANK[m!.role] <= myRank && RANK[role] <= myRank, 'NOT_ALLOWED', `${at}: an admin cannot change a higher role or grant one`);
      m!.role = role;
      if (RANK[role] >= RANK.editor) m!.writeEpochs.add(s.epoch);
      return;
    }
    case 'block': {
      const m = s.members.get(str(op, 'account'));
      need(m !== undefined && !m.blocked && m.account !== s.owner && m.account !== e.author, 'NOT_ALLOWED', `${at}: cannot block that account`);
      need(RANK[m!.role] <= myRank, 'NOT_ALLOWED', `${at}: the target outranks the author`);
      m!.blocked = true;
      newEpoch(s, op, e.index);
      m!.blockedAt = s.epoch;
      return;
    }
    case 'code.create':
    case 'code.rotate':
    case 'code.revoke':
    case 'epoch': {
      const ending = op.t === 'code.rotate' ? str(op, 'old') : op.t === 'code.revoke' ? str(op, 'code') : undefined;
      if (ending !== undefined) need(s.codes.get(ending)?.live === true, 'NOT_ALLOWED', `${at}: code ${ending} is not live`);
      if (op.t !== 'code.create') newEpoch(s, op, e.index);
      if (ending !== undefined) {
        const old = s.codes.get(ending)!;
        old.live = false;
        old.untilEpoch = s.epoch;
      }
      if (op.t === 'code.create' || op.t === 'code.rotate') {
        const code = str(op, 'code');
        need(!s.codes.has(code), 'NOT_ALLOWED', `${at}: code ${code} exists`);
        need(typeof op.readOnly === 'boolean' && (op.expiresAt === null || typeof op.expiresAt === 'number'), 'BAD_FORMAT', `${at}: bad code fields`);
        s.codes.set(code, {
          code, verifierPk: key32(op, 'verifierPk'), readOnly: op.readOnly as boolean, expiresAt: op.expiresAt as number | null,
          labelEnc: typeof op.labelEnc === 'string' ? op.labelEnc : undefined, live: true, fromEpoch: s.epoch,
        });
      }
      return;
    }
    default:
      throw new VaultError('BAD_FORMAT', `replayLog: ${at}: unknown op ${String(op.t)}`);
  }
}

/** A base64url 32-byte public key field. */
function key32(op: LogOp, k: string): string {
  const v = str(op, k);
  let ok = false;
  try { ok = fromB64url(v).length === 32; } catch { /* not base64url */ }
  need(ok, 'BAD_FORMAT', `op ${op.t}: ${k} is not a 32-byte key`);
  return v;
}

function newEpoch(s: ShareState, op: LogOp, index: number): void {
  const epoch = op.epoch;
  need(typeof epoch === 'number' && epoch === s.epoch + 1, 'BAD_FORMAT', `entry ${index}: epochs must increase by one`);
  s.epoch = epoch as number;
  s.keyCommits.set(s.epoch, key32(op, 'keyCommit'));
  for (const m of s.members.values()) if (!m.blocked && RANK[m.role] >= RANK.editor) m.writeEpochs.add(s.epoch);
}

function genesis(share: string, e: LogEntry): ShareState {
  need(e.index === 0 && e.prev === ZERO_HASH && e.op.t === 'create', 'BAD_FORMAT', 'the first entry must be a create at index 0');
  const owner = str(e.op, 'owner');
  need(owner === e.author, 'NOT_ALLOWED', 'the genesis must be signed by the owner');
  need(e.op.epoch === 0, 'BAD_FORMAT', 'the genesis must start epoch 0');
  const m: MemberState = { account: owner, boxPk: key32(e.op, 'boxPk'), signPk: key32(e.op, 'signPk'), role: 'owner', blocked: false, writeEpochs: new Set([0]) };
  return {
    share, owner, members: new Map([[owner, m]]), codes: new Map(), epoch: 0,
    keyCommits: new Map([[0, key32(e.op, 'keyCommit')]]), head: { index: -1, hash: ZERO_HASH }, entries: [],
  };
}

/** Copy a state so a failed replay leaves the caller's untouched. */
function cloneState(s: ShareState): ShareState {
  return {
    ...s, members: new Map([...s.members].map(([k, v]) => [k, { ...v, writeEpochs: new Set(v.writeEpochs) }])), codes: new Map([...s.codes].map(([k, v]) => [k, { ...v }])),
    keyCommits: new Map(s.keyCommits), head: { ...s.head }, entries: [...s.entries],
  };
}

export const basicLogVerifier: LogVerifier = {
  replay(share, entries, from) {
    let s = from ? cloneState(from) : undefined;
    for (const e of entries) {
      need(e.share === share, 'BAD_FORMAT', `entry ${e.index} belongs to another share`);
      if (!s) s = genesis(share, e);
      if (e.index <= s.head.index) {
        if (s.entries[e.index] && entryHash(s.entries[e.index]!) === entryHash(e)) continue; // already known
        throw new VaultError('LOG_FORKED', `replayLog: entry ${e.index} differs from the one already verified`);
      }
      if (e.index !== s.head.index + 1 || e.prev !== s.head.hash) {
        throw new VaultError('LOG_FORKED', `replayLog: entry ${e.index} does not extend the verified chain`);
      }
      const signer = s.members.get(e.author);
      need(signer !== undefined && !signer.blocked, 'NOT_ALLOWED', `entry ${e.index}: author is not a member`);
      need(e.index === 0 || e.op.t !== 'create', 'BAD_FORMAT', `entry ${e.index}: a second create`);
      const { sig, ...unsigned } = e;
      verifyDetached(fromB64url(signer!.signPk) as SignPublicKey, LOG_SIG_DOMAIN, canonicalBytes(unsigned), fromB64url(sig));
      if (e.index > 0) applyOp(s, e);
      s.head = { index: e.index, hash: entryHash(e) };
      s.entries.push(e);
    }
    if (!s) throw new VaultError('NOT_FOUND', `replayLog: share ${share} has no log`);
    return s;
  },
};

/** Parse a stored/received entry (structure only; replay verifies it). Throws BAD_FORMAT. */
export function parseLogEntry(raw: unknown): LogEntry {
  let e: Partial<LogEntry>;
  try {
    e = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Partial<LogEntry>;
  } catch (cause) {
    throw new VaultError('BAD_FORMAT', 'parseLogEntry: not JSON', { cause });
  }
  if (!e || typeof e !== 'object' || typeof e.share !== 'string' || !Number.isSafeInteger(e.index) || typeof e.prev !== 'string' ||
    typeof e.ts !== 'number' || typeof e.author !== 'string' || typeof e.sig !== 'string' || !e.op || typeof e.op.t !== 'string') {
    throw new VaultError('BAD_FORMAT', 'parseLogEntry: not a log entry');
  }
  return e as LogEntry;
}

/** Relay → client messages and the result shapes of `ok` answers. */
import { z } from 'zod';
import { ERROR_CODES } from './errors.js';
import { LogEntry } from './log-entry.js';
import { CheckpointBody, PushRecord } from './messages-client.js';
import { RosterEntry, TeamRole, TeamWrap } from './roster.js';
import {
  AccountId, CodeId, Count, DeviceId, Hash, KdfParams, Platform, PublicKey32, RequestId, Role, ShareId, Wrap,
} from './primitives.js';

export const Challenge = z.strictObject({ type: z.literal('challenge'), nonce: z.string().regex(/^[A-Za-z0-9_-]{43}$/) });

export const SessionAs = z.discriminatedUnion('kind', [
  /** `team`: the account's team role per the relay's roster; null while its join awaits an admin's confirmation. */
  z.strictObject({ kind: z.literal('device'), account: AccountId, device: DeviceId, role: Role.nullable(), team: TeamRole.nullable().optional() }),
  z.strictObject({ kind: z.literal('code'), code: CodeId, share: ShareId, readOnly: z.boolean() }),
  z.strictObject({ kind: z.literal('account'), account: AccountId }),
]);
export type SessionAs = z.infer<typeof SessionAs>;

export const Welcome = z.strictObject({ type: z.literal('welcome'), as: SessionAs, shares: z.array(ShareId) });
/** A revoked device: `order` is the signed roster `device.revoke` the device must verify before it deletes anything. */
export const Wipe = z.strictObject({ type: z.literal('wipe'), order: RosterEntry.optional() });
export const Closing = z.strictObject({ type: z.literal('closing'), code: z.int(), reason: z.string() });
export const ErrorMsg = z.strictObject({ type: z.literal('error'), id: RequestId.optional(), code: z.enum(ERROR_CODES), message: z.string() });
/** A stored record as the relay serves it: the pushed record plus its server sequence number. */
export const StoredRecord = PushRecord.extend({ seq: Count });
export type StoredRecord = z.infer<typeof StoredRecord>;
export const Conflict = z.strictObject({ type: z.literal('conflict'), id: RequestId, item: z.string(), head: StoredRecord.nullable() });
/** `generation`: the relay data's generation (DESIGN.md §9), optional for relays that predate it. */
export const Changed = z.strictObject({ type: z.literal('changed'), share: ShareId, seq: Count, generation: z.string().max(64).optional() });
export const LogNotice = z.strictObject({ type: z.literal('log'), share: ShareId, index: Count });
/** The team roster grew to `length` entries. */
export const RosterNotice = z.strictObject({ type: z.literal('roster'), length: Count });
/** A join request waits for an admin (sent to team admins). */
export const JoinNotice = z.strictObject({ type: z.literal('joinrequest') });
/** `ok` answers carry request-specific fields (see Results). */
export const Ok = z.looseObject({ type: z.literal('ok'), id: RequestId });

export const ServerMessage = z.discriminatedUnion('type', [Challenge, Welcome, Wipe, Closing, ErrorMsg, Conflict, Changed, LogNotice, RosterNotice, JoinNotice, Ok]);
export type ServerMessage = z.infer<typeof ServerMessage>;

const DeviceInfo = z.strictObject({
  id: DeviceId, account: AccountId, signPk: PublicKey32, cert: z.string(), platform: Platform,
  nameEnc: z.string(), lastSeenDay: z.string().nullable(), active: z.boolean(),
});
/** One live access code's use: UTC day (YYYY-MM-DD) of the last session it opened, and sessions open now. */
export const CodeUsage = z.strictObject({ code: CodeId, lastUsedDay: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable(), openSessions: Count });
export type CodeUsage = z.infer<typeof CodeUsage>;
const AccountPublic = z.strictObject({ id: AccountId, signPk: PublicKey32, boxPk: PublicKey32 });
const SignedCheckpoint = z.strictObject({ body: CheckpointBody, sig: z.string() });
/** A pending join: what team.join stored, for an admin to check and confirm (roster `join`). */
export const JoinRequest = z.strictObject({
  account: AccountPublic, device: DeviceInfo.pick({ id: true, signPk: true, cert: true, platform: true, nameEnc: true }),
  invite: z.string(), nameEnc: z.string(), mac: z.string(), at: Count,
});
export type JoinRequest = z.infer<typeof JoinRequest>;

/** Fields of each request's `ok` answer (besides type and id). */
export const Results = {
  'account.kdf': z.object({ kdf: KdfParams }),
  'account.get': z.object({ account: AccountPublic.extend({ kdf: KdfParams, keyBlob: z.string() }), checkpoints: z.array(SignedCheckpoint) }),
  'account.update': z.object({}),
  'account.info': z.object({
    account: AccountPublic.extend({ kdf: KdfParams, keyBlob: z.string(), authPk: PublicKey32 }),
    devices: z.array(DeviceInfo),
    memberships: z.array(z.object({ share: ShareId, role: Role })),
    wraps: z.array(z.object({ share: ShareId, epoch: Count })),
  }),
  'account.delete': z.object({}),
  'device.register': z.object({ as: SessionAs }),
  'device.list': z.object({ devices: z.array(DeviceInfo) }),
  'roster.get': z.object({ entries: z.array(RosterEntry), wraps: z.array(TeamWrap) }),
  'roster.append': z.object({ length: Count }),
  'join.list': z.object({ requests: z.array(JoinRequest) }),
  'join.reject': z.object({}),
  'checkpoint.put': z.object({}),
  'invite.get': z.object({ cardEnc: z.string(), expiresAt: Count, role: z.enum(['admin', 'member']) }),
  'share.create': z.object({ index: Count }),
  'share.delete': z.object({}),
  'log.append': z.object({ index: Count }),
  'log.get': z.object({ entries: z.array(LogEntry) }),
  'keys.get': z.object({ wraps: z.array(Wrap) }),
  'code.usage': z.object({ codes: z.array(CodeUsage).max(100_000) }),
  /** What keys.drop removed: wrapped keys, older record versions, and ciphertext bytes of chunks nobody references any more. */
  'keys.drop': z.object({ wraps: Count, versions: Count, bytes: Count }),
  /** `seqs[i]` is the seq of records[i] (also in `acks`). */
  push: z.object({ acks: z.array(z.object({ item: z.string(), version: Count, seq: Count })), seqs: z.array(Count) }),
  pull: z.object({ records: z.array(StoredRecord), head: Count, more: z.boolean(), generation: z.string().max(64).optional() }),
  history: z.object({ records: z.array(StoredRecord) }),
  /** `has[i]` tells whether the relay holds hashes[i]. */
  'chunk.has': z.object({ has: z.array(z.boolean()) }),
  'chunk.put': z.object({ hash: Hash }),
} as const;


/** Client → relay text messages. `parseClientMessage` (parse.ts) validates them. */
import { z } from 'zod';
import { DEFAULT_LIMITS } from './limits.js';
import { LogEntry } from './log-entry.js';
import { InviteId, RosterEntry, TeamWrap } from './roster.js';
import {
  AccountId, AccountRegistration, Blob64, CodeId, Count, DeviceId, DeviceRegistration, Hash, ItemId,
  RequestId, ShareId, Signature, TeamId, Wrap,
} from './primitives.js';

const L = DEFAULT_LIMITS;

export const Hello = z.strictObject({ type: z.literal('hello'), protocol: z.int().min(0).max(65535) });

/** `sig` = Ed25519 over AUTH_DOMAIN ‖ canonicalJson({nonce, team, method, id}) (see authPayload). */
export const Auth = z.discriminatedUnion('method', [
  z.strictObject({ type: z.literal('auth'), method: z.literal('device'), team: TeamId, device: DeviceId, sig: Signature }),
  z.strictObject({ type: z.literal('auth'), method: z.literal('code'), team: TeamId, code: CodeId, sig: Signature }),
  z.strictObject({ type: z.literal('auth'), method: z.literal('account'), team: TeamId, account: AccountId, sig: Signature }),
]);

/**
 * Creates a team with its first account and device. `sig` is the DEVICE key's signature over
 * authPayload(nonce, team, 'team.create', device.id): proof that the creator holds the device key.
 * `roster`: the genesis and the founder's device.add; `wraps`: team key epoch 0 for the founder.
 * `enrollment`: a one-time token from the relay operator (`truhe-relay enroll`), unless the relay
 * runs with open enrollment.
 */
export const TeamCreate = z.strictObject({
  type: z.literal('team.create'),
  team: TeamId,
  account: AccountRegistration,
  device: DeviceRegistration,
  roster: z.array(RosterEntry).length(2),
  wraps: z.array(TeamWrap).length(1),
  enrollment: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/).optional(),
  sig: Signature,
});

/**
 * Pre-auth: asks to join a team with an invitation. `sig` = Ed25519 by the invitation's verifier
 * key (derived from the secret) over authPayload(nonce, team, 'team.join', invite): the relay
 * learns the joiner holds the secret, never the secret. `nameEnc` (display name under a key from
 * the secret) and `mac` (keyed by the secret over keys + name, see core/model/team-invite.ts)
 * are for the admin who confirms; the relay only stores them.
 */
export const TeamJoin = z.strictObject({
  type: z.literal('team.join'),
  team: TeamId,
  invite: InviteId,
  account: AccountRegistration,
  device: DeviceRegistration,
  nameEnc: Blob64(1024),
  mac: Hash,
  sig: Signature,
});

/** Pre-auth: the sealed card (team and inviter names) of an invitation. Answered `{type:'ok', id, cardEnc, expiresAt, role}`. */
export const InviteGet = z.strictObject({ type: z.literal('invite.get'), id: RequestId, team: TeamId, invite: InviteId });

/** A device's signed statement of the highest roster and share-log heads it verified (DESIGN.md §8). */
export const CheckpointBody = z.strictObject({
  team: TeamId,
  account: AccountId,
  device: DeviceId,
  ts: z.int().min(0).max(8.64e15),
  roster: z.strictObject({ length: Count, hash: Hash }),
  shares: z.array(z.strictObject({ share: ShareId, length: Count, hash: Hash })).max(10_000),
});
export type CheckpointBody = z.infer<typeof CheckpointBody>;
export const CHECKPOINT_DOMAIN = 'truhe/checkpoint/v1';

/** Pre-auth: the KDF salt + params a new device needs. Answered `{type:'ok', id, kdf}`. */
export const AccountKdf = z.strictObject({ type: z.literal('account.kdf'), id: RequestId, team: TeamId, account: AccountId });

const req = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.strictObject({ type: z.literal(type), id: RequestId, ...shape });

/** Kinds of share records. A tombstone (empty body, no chunks) deletes all versions of the item. */
export const RecordKind = z.enum(['note', 'file', 'tombstone']);
export const PushRecord = z.strictObject({
  item: ItemId,
  version: z.int().min(1).max(2 ** 31),
  baseVersion: z.int().min(0).max(2 ** 31),
  kind: RecordKind,
  epoch: z.int().min(0).max(2 ** 31),
  /** Who signed: a member account, or an access code (guest writer). Must be the session's own. */
  author: z.strictObject({ kind: z.enum(['account', 'code']), id: z.union([AccountId, CodeId]) }),
  body: Blob64(L.maxBodyChars),
  chunks: z.array(Hash).max(100_000),
  /** Ed25519 by the author's key over RECORD_DOMAIN ‖ canonical bytes (clients verify; the relay stores). */
  sig: Signature,
});
export type PushRecord = z.infer<typeof PushRecord>;

export const Requests = {
  'account.get': req('account.get', {}),
  'account.update': req('account.update', { authPk: AccountRegistration.shape.authPk, kdf: AccountRegistration.shape.kdf, keyBlob: AccountRegistration.shape.keyBlob }),
  'account.info': req('account.info', {}),
  'account.delete': req('account.delete', {}),
  /** Account session of a new device: the device row and its signed roster `device.add`, in one transaction. */
  'device.register': req('device.register', { device: DeviceRegistration, entry: RosterEntry }),
  'device.list': req('device.list', { account: AccountId.optional() }),
  'roster.get': req('roster.get', { since: Count }),
  /** Owner/admin (or a member for its own device.revoke / device.add): appends signed roster entries and team key wraps. */
  'roster.append': req('roster.append', { entries: z.array(RosterEntry).min(1).max(64), wraps: z.array(TeamWrap).max(5000) }),
  'join.list': req('join.list', {}),
  'join.reject': req('join.reject', { account: AccountId }),
  'checkpoint.put': req('checkpoint.put', { body: CheckpointBody, sig: Signature }),
  'share.create': req('share.create', { share: ShareId, entry: LogEntry, wraps: z.array(Wrap).max(1000) }),
  'share.delete': req('share.delete', { share: ShareId }),
  'log.append': req('log.append', { share: ShareId, entries: z.array(LogEntry).min(1).max(L.maxLogEntries), wraps: z.array(Wrap).max(5000) }),
  'log.get': req('log.get', { share: ShareId, since: Count }),
  'keys.get': req('keys.get', { share: ShareId }),
  /**
   * Owner/admin of the share: per live access code, the UTC day it last opened a session (null =
   * never) and how many sessions it has open now on this relay instance. Answered
   * `{type:'ok', id, codes: [{code, lastUsedDay, openSessions}]}`; a rotated or revoked code is
   * not listed.
   */
  'code.usage': req('code.usage', { share: ShareId }),
  /**
   * Owner/admin, after "re-encrypt now": drop every wrapped key of an epoch below `below` and
   * every older record version under such an epoch (with chunks nobody references any more).
   * Refused with EPOCH_IN_USE while an item's current version is still under such an epoch.
   */
  'keys.drop': req('keys.drop', { share: ShareId, below: z.int().min(1).max(2 ** 31) }),
  push: req('push', { share: ShareId, records: z.array(PushRecord).min(1).max(L.maxPushRecords) }),
  pull: req('pull', { share: ShareId, since: Count, limit: z.int().min(1).max(100_000).optional() }),
  history: req('history', { share: ShareId, item: ItemId }),
  'chunk.has': req('chunk.has', { share: ShareId, hashes: z.array(Hash).max(L.maxHasHashes) }),
  'chunk.get': req('chunk.get', { share: ShareId, hash: Hash }),
  /** Keep-alive: answered `{type:'ok', id}`. A client that hears nothing for a while asks it. */
  ping: req('ping', {}),
} as const;

export type RequestType = keyof typeof Requests;
export type RequestOf<T extends RequestType> = z.infer<(typeof Requests)[T]>;
export type AnyRequest = { [K in RequestType]: RequestOf<K> }[RequestType];
export type PreAuthMessage = z.infer<typeof Hello> | z.infer<typeof Auth> | z.infer<typeof TeamCreate> | z.infer<typeof TeamJoin> | z.infer<typeof AccountKdf> | z.infer<typeof InviteGet>;
export type ClientMessage = PreAuthMessage | AnyRequest;

/** Header of a binary client frame (client → relay), followed by the chunk ciphertext. */
export const ChunkPutHeader = z.strictObject({ type: z.literal('chunk.put'), id: RequestId, share: ShareId, hash: Hash });
export type ChunkPutHeader = z.infer<typeof ChunkPutHeader>;
/** Header of a binary relay frame answering chunk.get. */
export const ChunkHeader = z.strictObject({ type: z.literal('chunk'), id: RequestId, hash: Hash });
export type ChunkHeader = z.infer<typeof ChunkHeader>;

/** The value signed in auth: AUTH_DOMAIN ‖ canonicalJson(authPayload(...)). */
export function authPayload(nonce: string, team: string, method: 'device' | 'code' | 'account' | 'team.create' | 'team.join', id: string) {
  return { nonce, team, method, id };
}

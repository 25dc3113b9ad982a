/**
 * Membership log entries: hash-chained and signed by the author's account key. Clients verify
 * signatures and role rules; the relay enforces chain, index, author and role too.
 */
import { z } from 'zod';
import { AccountId, Blob64, CodeId, Hash, Millis, PublicKey32, Role, ShareId, Signature } from './primitives.js';

const Epoch = z.int().min(0).max(2 ** 31);
const KeyCommit = Hash;
const CodeFields = {
  code: CodeId,
  verifierPk: PublicKey32,
  readOnly: z.boolean(),
  /** Unix ms, or null for no expiry. */
  expiresAt: Millis.nullable(),
  labelEnc: Blob64(1024),
};

export const LogOp = z.discriminatedUnion('t', [
  z.strictObject({ t: z.literal('create'), owner: AccountId, boxPk: PublicKey32, signPk: PublicKey32, epoch: z.literal(0), keyCommit: KeyCommit }),
  z.strictObject({ t: z.literal('add'), account: AccountId, boxPk: PublicKey32, signPk: PublicKey32, role: Role }),
  z.strictObject({ t: z.literal('role'), account: AccountId, role: Role }),
  z.strictObject({ t: z.literal('block'), account: AccountId, epoch: Epoch, keyCommit: KeyCommit }),
  z.strictObject({ t: z.literal('code.create'), ...CodeFields }),
  z.strictObject({ t: z.literal('code.rotate'), old: CodeId, ...CodeFields, epoch: Epoch, keyCommit: KeyCommit }),
  z.strictObject({ t: z.literal('code.revoke'), code: CodeId, epoch: Epoch, keyCommit: KeyCommit }),
  z.strictObject({ t: z.literal('epoch'), epoch: Epoch, keyCommit: KeyCommit }),
]);
export type LogOp = z.infer<typeof LogOp>;

export const LogEntry = z.strictObject({
  share: ShareId,
  index: z.int().min(0).max(2 ** 31),
  /** SHA-256 of the previous entry's canonical bytes (see logEntryHashInput); 32 zero bytes at index 0. */
  prev: Hash,
  ts: Millis,
  author: AccountId,
  op: LogOp,
  /** Ed25519 by the author's account key over LOG_DOMAIN ‖ canonicalJson(entry without sig). */
  sig: Signature,
});
export type LogEntry = z.infer<typeof LogEntry>;

export const LOG_DOMAIN = 'truhe/log/v1';
export const AUTH_DOMAIN = 'truhe/auth/v1';
export const RECORD_DOMAIN = 'truhe/record/v1';
/** base64url of 32 zero bytes: `prev` of entry 0. */
export const ZERO_HASH = 'A'.repeat(43);

/**
 * What `prev` of the next entry hashes: SHA-256(canonicalJson(entry)) — the whole entry,
 * including its signature, without a domain prefix.
 */
export function logEntryHashInput(entry: LogEntry): unknown {
  return entry;
}

/**
 * Branded ids: 16 random bytes in base64url without padding (22 characters). The relay sees
 * only these opaque ids, never names.
 */
import type { Brand } from './brand.js';
import { VaultError } from './errors.js';
import { fromB64url, toB64url } from './encoding.js';
import { randomBytes } from './crypto/random.js';

export type TeamId = Brand<string, 'TeamId'>;
export type AccountId = Brand<string, 'AccountId'>;
export type DeviceId = Brand<string, 'DeviceId'>;
export type ShareId = Brand<string, 'ShareId'>;
export type ItemId = Brand<string, 'ItemId'>;
export type CodeId = Brand<string, 'CodeId'>;
export type InviteId = Brand<string, 'InviteId'>;

export const ID_BYTES = 16;
export const ID_LENGTH = 22;
const ID_RE = /^[A-Za-z0-9_-]{21}[AQgw]$/; // 128 bits: the last char carries 2 bits + 4 zero bits

/** True if `s` is a well-formed id (22 base64url chars encoding exactly 16 bytes). */
export function isId(s: unknown): s is string {
  return typeof s === 'string' && ID_RE.test(s);
}

function parser<T extends string>(kind: string) {
  return (s: unknown): T => {
    if (!isId(s)) throw new VaultError('BAD_FORMAT', `parse${kind}: not a 22-character base64url id`);
    return s as T;
  };
}

/** Parse functions: return the branded id or throw VaultError('BAD_FORMAT'). */
export const parseTeamId = parser<TeamId>('TeamId');
export const parseAccountId = parser<AccountId>('AccountId');
export const parseDeviceId = parser<DeviceId>('DeviceId');
export const parseShareId = parser<ShareId>('ShareId');
export const parseItemId = parser<ItemId>('ItemId');
export const parseCodeId = parser<CodeId>('CodeId');
export const parseInviteId = parser<InviteId>('InviteId');

/** A fresh random id of any kind, e.g. `newId<ShareId>()`. */
export function newId<T extends TeamId | AccountId | DeviceId | ShareId | ItemId | CodeId | InviteId>(): T {
  return toB64url(randomBytes(ID_BYTES)) as T;
}

/** The 16 bytes of an id (for binding ids into hashes). Throws BAD_FORMAT. */
export function idBytes(id: string): Uint8Array {
  if (!isId(id)) throw new VaultError('BAD_FORMAT', 'idBytes: not an id');
  return fromB64url(id);
}

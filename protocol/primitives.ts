/**
 * Wire primitives: ids, keys, hashes, signatures (all base64url without padding, exact length,
 * canonical trailing bits) and small shared shapes.
 */
import { z } from 'zod';

const B64 = /^[A-Za-z0-9_-]*$/;
/** 16 bytes → 22 chars; the last char carries 2 data bits. */
const ID_RE = /^[A-Za-z0-9_-]{21}[AQgw]$/;
/** 32 bytes → 43 chars; the last char carries 4 data bits. */
const B32_RE = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/;
/** 64 bytes → 86 chars; the last char carries 2 data bits. */
const B64_RE = /^[A-Za-z0-9_-]{85}[AQgw]$/;

const id = (what: string) => z.string().regex(ID_RE, `${what}: 16 bytes base64url`);
export const TeamId = id('team id').brand<'TeamId'>();
export const AccountId = id('account id').brand<'AccountId'>();
export const DeviceId = id('device id').brand<'DeviceId'>();
export const ShareId = id('share id').brand<'ShareId'>();
export const ItemId = id('item id').brand<'ItemId'>();
export const CodeId = id('code id').brand<'CodeId'>();
export type TeamId = z.infer<typeof TeamId>;
export type AccountId = z.infer<typeof AccountId>;
export type DeviceId = z.infer<typeof DeviceId>;
export type ShareId = z.infer<typeof ShareId>;
export type ItemId = z.infer<typeof ItemId>;
export type CodeId = z.infer<typeof CodeId>;

/** 32-byte public key (Ed25519 or X25519), base64url. */
export const PublicKey32 = z.string().regex(B32_RE, 'public key: 32 bytes base64url');
/** SHA-256 hash, base64url. */
export const Hash = z.string().regex(B32_RE, 'hash: 32 bytes base64url');
/** Ed25519 signature, base64url. */
export const Signature = z.string().regex(B64_RE, 'signature: 64 bytes base64url');
/** Opaque ciphertext / blob of bounded size, base64url. */
export const Blob64 = (maxChars: number) => z.string().max(maxChars).regex(B64, 'base64url');
/** Non-negative safe integer. */
export const Count = z.int().min(0).max(Number.MAX_SAFE_INTEGER);
/** Request id chosen by the client. */
export const RequestId = z.int().min(1).max(2 ** 31 - 1);
/** Unix time in milliseconds. */
export const Millis = z.int().min(0).max(8.64e15);

export const Role = z.enum(['owner', 'admin', 'editor', 'viewer']);
export type Role = z.infer<typeof Role>;
/** Role rank: owner 3 > admin 2 > editor 1 > viewer 0. */
export const ROLE_RANK: Record<Role, number> = { owner: 3, admin: 2, editor: 1, viewer: 0 };

/** Argon2id parameters stored with an account (clients refuse values below their floor). */
export const KdfParams = z.strictObject({
  alg: z.literal('argon2id13'),
  salt: z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'salt: 16 bytes base64url'),
  opslimit: z.int().min(1).max(1_000),
  memlimit: z.int().min(8 * 1024).max(4 * 1024 * 1024 * 1024),
});
export type KdfParams = z.infer<typeof KdfParams>;

/** What a new account hands the relay: public keys, the auth verifier, and its encrypted key blob. */
export const AccountRegistration = z.strictObject({
  id: AccountId,
  signPk: PublicKey32,
  boxPk: PublicKey32,
  /** Ed25519 public half of the password-derived auth key. */
  authPk: PublicKey32,
  kdf: KdfParams,
  /** Account keys encrypted under the unlock key (opaque to the relay). */
  keyBlob: Blob64(16 * 1024),
});
export type AccountRegistration = z.infer<typeof AccountRegistration>;

export const Platform = z.enum(['linux', 'mac', 'windows', 'web', 'other']);

/** A device: its Ed25519 key, a certificate by the account key (verified by clients), encrypted name. */
export const DeviceRegistration = z.strictObject({
  id: DeviceId,
  signPk: PublicKey32,
  cert: Signature,
  platform: Platform,
  nameEnc: Blob64(1024),
});
export type DeviceRegistration = z.infer<typeof DeviceRegistration>;

/** A share key of one epoch wrapped for an account (sealed box) or a code (code-derived key). */
export const Wrap = z.strictObject({
  epoch: z.int().min(0).max(2 ** 31),
  to: z.strictObject({ kind: z.enum(['account', 'code']), id: z.union([AccountId, CodeId]) }),
  wrapped: Blob64(1024),
});
export type Wrap = z.infer<typeof Wrap>;

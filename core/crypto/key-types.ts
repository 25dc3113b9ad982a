/** Branded key types: a ShareKey cannot be passed where an ItemKey is expected. */
import type { Brand } from '../brand.js';

export type SecretKeyBytes = Brand<Uint8Array, 'SecretKey'>; // the 128-bit account Secret Key
export type PasswordKey = Brand<Uint8Array, 'PasswordKey'>; // Argon2id output, before the Secret Key
export type UnlockKey = Brand<Uint8Array, 'UnlockKey'>;
export type ShareKey = Brand<Uint8Array, 'ShareKey'>;
/** Team key of one roster epoch: seals member names, the team name, invitation secrets. */
export type TeamKey = Brand<Uint8Array, 'TeamKey'>;
/** Keys derived from a team invitation secret. */
export type InviteKey = Brand<Uint8Array, 'InviteKey'>;
export type ItemKey = Brand<Uint8Array, 'ItemKey'>;
export type FileKey = Brand<Uint8Array, 'FileKey'>;
export type CodeWrapKey = Brand<Uint8Array, 'CodeWrapKey'>;
export type BoxPublicKey = Brand<Uint8Array, 'BoxPublicKey'>; // X25519, 32 bytes
export type BoxSecretKey = Brand<Uint8Array, 'BoxSecretKey'>; // X25519, 32 bytes
export type SignPublicKey = Brand<Uint8Array, 'SignPublicKey'>; // Ed25519, 32 bytes
export type SignSecretKey = Brand<Uint8Array, 'SignSecretKey'>; // Ed25519, 64 bytes (seed ‖ pk)

/** Any 32-byte symmetric key usable with aead.ts. */
export type SymmetricKey = UnlockKey | ShareKey | ItemKey | FileKey | CodeWrapKey | TeamKey | InviteKey;

export interface BoxKeyPair {
  publicKey: BoxPublicKey;
  secretKey: BoxSecretKey;
}
export interface SignKeyPair {
  publicKey: SignPublicKey;
  secretKey: SignSecretKey;
}

export const KEY_BYTES = 32;

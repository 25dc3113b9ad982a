/**
 * Key derivation. Pure functions (bytes in, bytes out) so they can run inside a short-lived
 * Worker (kdf-worker.ts): Argon2id's WASM memory is never returned to the OS.
 *
 * unlock key = BLAKE2b-256(key = Secret Key (16 bytes), msg = 'truhe/unlock/v1' ‖ Argon2id(password))
 * The KDF parameters are stored with the account and may only be raised: every client refuses
 * parameters below its floor (KDF_FLOOR), so a relay cannot downgrade them.
 */
import { VaultError } from '../errors.js';
import { concatBytes, fromB64url, toB64url, u64be, utf8 } from '../encoding.js';
import { blake2b } from './hash.js';
import { randomBytes } from './random.js';
import { sodium } from './sodium.js';
import type { PasswordKey, SecretKeyBytes, UnlockKey } from './key-types.js';

export interface KdfParams {
  alg: 'argon2id13';
  /** Argon2id passes (crypto_pwhash opslimit). */
  opslimit: number;
  /** Memory in bytes (crypto_pwhash memlimit). */
  memlimit: number;
  /** 16 random bytes, base64url. */
  salt: string;
}

export interface KdfFloor {
  opslimit: number;
  memlimit: number;
}

/** Production floor: libsodium MODERATE (3 passes, 256 MiB). */
export const KDF_FLOOR: KdfFloor = { opslimit: 3, memlimit: 256 * 1024 * 1024 };
/** Tiny parameters for tests only (pass with TEST_KDF_FLOOR). Never use in production. */
export const TEST_KDF_COST: KdfFloor = { opslimit: 1, memlimit: 64 * 1024 };
export const TEST_KDF_FLOOR: KdfFloor = TEST_KDF_COST;

export const SALT_BYTES = 16;
const MAX_OPSLIMIT = 64;
const MAX_MEMLIMIT = 4 * 1024 * 1024 * 1024 - 1;

/** Fresh parameters with a random salt; cost defaults to the floor. */
export function newKdfParams(cost: KdfFloor = KDF_FLOOR): KdfParams {
  return { alg: 'argon2id13', opslimit: cost.opslimit, memlimit: cost.memlimit, salt: toB64url(randomBytes(SALT_BYTES)) };
}

/**
 * Validate stored/received parameters against `floor`. Throws VaultError('KDF_TOO_WEAK') when
 * below the floor, VaultError('BAD_FORMAT') when malformed (unknown alg, bad salt, absurd size).
 */
export function checkKdfParams(params: KdfParams, floor: KdfFloor = KDF_FLOOR): KdfParams {
  if (!params || params.alg !== 'argon2id13') throw new VaultError('BAD_FORMAT', 'checkKdfParams: unknown algorithm');
  const { opslimit, memlimit } = params;
  if (!Number.isSafeInteger(opslimit) || !Number.isSafeInteger(memlimit) || opslimit > MAX_OPSLIMIT || memlimit > MAX_MEMLIMIT) {
    throw new VaultError('BAD_FORMAT', 'checkKdfParams: opslimit/memlimit out of range');
  }
  if (opslimit < floor.opslimit || memlimit < floor.memlimit) {
    throw new VaultError('KDF_TOO_WEAK', `checkKdfParams: ${opslimit} passes / ${memlimit} bytes is below the floor`);
  }
  if (fromB64url(params.salt).length !== SALT_BYTES) throw new VaultError('BAD_FORMAT', 'checkKdfParams: salt must be 16 bytes');
  return params;
}

/** How far above this app's own cost parameters from elsewhere (the relay) may go. */
export const KDF_CEILING_FACTOR = 4;

/**
 * Refuses parameters costing more than KDF_CEILING_FACTOR × `cost` (passes × memory) with
 * KDF_TOO_COSTLY: a hostile relay could otherwise hang sign-in for minutes or exhaust memory.
 */
export function checkKdfCeiling(params: KdfParams, cost: KdfFloor): KdfParams {
  if (params.opslimit * params.memlimit > KDF_CEILING_FACTOR * cost.opslimit * cost.memlimit) {
    throw new VaultError('KDF_TOO_COSTLY', `checkKdfCeiling: ${params.opslimit} passes / ${params.memlimit} bytes is more than ${KDF_CEILING_FACTOR}× this app's cost`);
  }
  return params;
}

/**
 * Argon2id(password UTF-8, salt) → 32 bytes. Checks params against `floor` first (throws
 * KDF_TOO_WEAK / BAD_FORMAT). Takes ~1 s and 256 MiB at the production floor.
 */
export function passwordKey(password: string, params: KdfParams, floor: KdfFloor = KDF_FLOOR): PasswordKey {
  checkKdfParams(params, floor);
  return argon2id(utf8(password.normalize('NFC')), fromB64url(params.salt), params) as PasswordKey;
}

/**
 * Raw Argon2id13 → 32 bytes (also used for access-code seeds). Salt must be 16 bytes and the
 * cost within Argon2id's range (VaultError('BAD_FORMAT') otherwise: the inputs may have come
 * through a Worker message).
 */
export function argon2id(secret: Uint8Array, salt: Uint8Array, cost: KdfFloor): Uint8Array {
  if (!(secret instanceof Uint8Array) || !(salt instanceof Uint8Array) || salt.length !== SALT_BYTES) throw new VaultError('BAD_FORMAT', 'argon2id: secret and a 16-byte salt are required');
  const opslimit = cost?.opslimit;
  const memlimit = cost?.memlimit;
  if (!Number.isSafeInteger(opslimit) || !Number.isSafeInteger(memlimit) || opslimit < 1 || opslimit > MAX_OPSLIMIT || memlimit < 8192 || memlimit > MAX_MEMLIMIT) {
    throw new VaultError('BAD_FORMAT', 'argon2id: opslimit/memlimit out of range');
  }
  const s = sodium();
  return s.crypto_pwhash(32, secret, salt, cost.opslimit, cost.memlimit, s.crypto_pwhash_ALG_ARGON2ID13);
}

/** Combine the password key with the 128-bit Secret Key (keyed BLAKE2b) → unlock key. */
export function combineUnlockKey(pw: PasswordKey, secretKey: SecretKeyBytes): UnlockKey {
  if (secretKey.length !== 16) throw new VaultError('BAD_FORMAT', 'combineUnlockKey: Secret Key must be 16 bytes');
  return blake2b(concatBytes(utf8('truhe/unlock/v1'), pw), 32, secretKey) as UnlockKey;
}

/** passwordKey + combineUnlockKey in one call (wipes the intermediate password key). */
export function deriveUnlockKey(password: string, secretKey: SecretKeyBytes, params: KdfParams, floor: KdfFloor = KDF_FLOOR): UnlockKey {
  const pw = passwordKey(password, params, floor);
  const out = combineUnlockKey(pw, secretKey);
  sodium().memzero(pw);
  return out;
}

/**
 * Subkey `length` bytes (16..64) = BLAKE2b(key, 'truhe/subkey/v1' ‖ u64be(len(context)) ‖
 * context ‖ u64be(id)). Distinct (context, id) pairs give independent keys.
 */
export function deriveSubkey<K extends Uint8Array = Uint8Array>(key: Uint8Array, context: string, id = 0, length = 32): K {
  const ctx = utf8(context);
  return blake2b(concatBytes(utf8('truhe/subkey/v1'), u64be(ctx.length), ctx, u64be(id)), length, key) as K;
}

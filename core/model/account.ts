/**
 * Accounts: create, unlock, change password, lock. DESIGN.md §2.
 * unlock key = keyed BLAKE2b(Secret Key, Argon2id(password, kdf params)); the account's secret
 * keys travel only as `blob` = AEAD(unlock key, boxSk(32) ‖ signSk(64)) with AD binding team,
 * account and the KDF parameters (a relay that swaps parameters breaks the blob).
 * WRONG_SECRET_KEY vs WRONG_PASSWORD: the bundle carries `skCheck`, a keyed hash of the Secret
 * Key alone (see account-bundle.ts); it is checked before the slow KDF. It cannot help test
 * passwords: it does not depend on the password, and guessing 128 random bits is hopeless.
 */
import { canonicalBytes } from '../canonical.js';
import { concatBytes, fromB64url, toB64url, utf8 } from '../encoding.js';
import { VaultError } from '../errors.js';
import type { AccountId, DeviceId, TeamId } from '../ids.js';
import { aeadOpen, aeadSeal } from '../crypto/aead.js';
import { constantTimeEqual } from '../crypto/compare.js';
import { blake2b } from '../crypto/hash.js';
import { checkKdfParams, deriveSubkey, deriveUnlockKey, KDF_FLOOR, newKdfParams, type KdfFloor, type KdfParams } from '../crypto/kdf.js';
import type { KdfRunner } from '../crypto/kdf-runner.js';
import { boxKeyPairFromSecret, newBoxKeyPair, newSignKeyPair, signKeyPairFromSeed } from '../crypto/keys.js';
import { wipe } from '../crypto/wipe.js';
import type { BoxKeyPair, BoxSecretKey, SecretKeyBytes, SignKeyPair, UnlockKey } from '../crypto/key-types.js';
import type { LocalAccountBundle, RelayAccountBundle } from './account-bundle.js';
import type { B64Ciphertext } from './record.js';
import { formatSecretKey, newSecretKey, parseSecretKey } from './secret-key.js';

export type { LocalAccountBundle, RelayAccountBundle } from './account-bundle.js';

/** Unlocked key material, memory only. `lockAccount` zeroes every buffer. */
export interface AccountKeys {
  team: TeamId;
  account: AccountId;
  secretKey: SecretKeyBytes;
  unlockKey: UnlockKey;
  box: BoxKeyPair;
  sign: SignKeyPair;
  /** Ed25519 from KDF(unlock key, 'auth'); only its public half is on the relay. */
  auth: SignKeyPair;
  device?: { id: DeviceId; sign: SignKeyPair };
}

export interface KdfOptions {
  /** Argon2id cost for new parameters (default: the floor). */
  cost?: KdfFloor;
  /** Minimum accepted (default KDF_FLOOR; tests pass TEST_KDF_FLOOR). */
  floor?: KdfFloor;
}

function blobAd(team: TeamId, account: AccountId, kdf: KdfParams): Uint8Array {
  return concatBytes(utf8('truhe/account-blob/v1'), canonicalBytes({ team, account, kdf: { ...kdf } }));
}
function deviceAd(team: TeamId, account: AccountId, device: DeviceId): Uint8Array {
  return concatBytes(utf8('truhe/device-key/v1'), canonicalBytes({ team, account, device }));
}
function skCheckOf(secretKey: SecretKeyBytes, kdf: KdfParams): string {
  return toB64url(blake2b(concatBytes(utf8('truhe/sk-check/v1'), utf8(kdf.salt)), 16, secretKey));
}

/** The auth keypair: crypto_sign_seed_keypair(subkey(unlock key, 'auth')). */
export function authKeyPair(unlockKey: UnlockKey): SignKeyPair {
  const seed = deriveSubkey(unlockKey, 'auth');
  const kp = signKeyPairFromSeed(seed);
  wipe(seed);
  return kp;
}

function sealBundle(keys: AccountKeys, kdf: KdfParams): RelayAccountBundle {
  const secrets = concatBytes(keys.box.secretKey, keys.sign.secretKey);
  const blob = aeadSeal(keys.unlockKey, secrets, blobAd(keys.team, keys.account, kdf));
  wipe(secrets);
  return {
    v: 1, team: keys.team, account: keys.account, kdf, blob: toB64url(blob) as B64Ciphertext,
    skCheck: skCheckOf(keys.secretKey, kdf), boxPk: toB64url(keys.box.publicKey), signPk: toB64url(keys.sign.publicKey),
    authPk: toB64url(keys.auth.publicKey),
  };
}

type NewAccountOptions = { team: TeamId; account: AccountId; password: string } & KdfOptions;
type NewAccount = { keys: AccountKeys; secretKey: string; bundle: LocalAccountBundle };

/** Fresh Secret Key and KDF parameters (random salt) of a new account. */
function newAccountInputs(opts: KdfOptions): { floor: KdfFloor; kdf: KdfParams; secretKey: SecretKeyBytes } {
  const floor = opts.floor ?? KDF_FLOOR;
  return { floor, kdf: checkKdfParams(newKdfParams(opts.cost ?? floor), floor), secretKey: newSecretKey() };
}

function sealNewAccount(opts: NewAccountOptions, kdf: KdfParams, secretKey: SecretKeyBytes, unlockKey: UnlockKey): NewAccount {
  const keys: AccountKeys = {
    team: opts.team, account: opts.account, secretKey, unlockKey,
    box: newBoxKeyPair(), sign: newSignKeyPair(), auth: authKeyPair(unlockKey),
  };
  return { keys, secretKey: formatSecretKey(secretKey), bundle: sealBundle(keys, kdf) };
}

/**
 * New account: random Secret Key, Argon2id params (random salt), X25519 + Ed25519 keys.
 * Returns the unlocked keys, the emergency-kit Secret Key string and the bundle to store
 * (local) / upload (relay form via toRelayBundle). ~1 s at production KDF cost, on this thread
 * (the vault uses createAccountWith).
 */
export function createAccount(opts: NewAccountOptions): NewAccount {
  const { floor, kdf, secretKey } = newAccountInputs(opts);
  return sealNewAccount(opts, kdf, secretKey, deriveUnlockKey(opts.password, secretKey, kdf, floor));
}

/** createAccount with Argon2id run by `run` (off the UI thread in the browser; kdf-runner.ts). */
export async function createAccountWith(run: KdfRunner, opts: NewAccountOptions): Promise<NewAccount> {
  const { floor, kdf, secretKey } = newAccountInputs(opts);
  let unlockKey: UnlockKey;
  try {
    unlockKey = await run(opts.password, secretKey, kdf, floor);
  } catch (e) {
    wipe(secretKey);
    throw e;
  }
  return sealNewAccount(opts, kdf, secretKey, unlockKey);
}

/** The part of a local bundle the relay may hold (no device blob, no remembered Secret Key). */
export function toRelayBundle(b: LocalAccountBundle): RelayAccountBundle {
  const { v, team, account, kdf, blob, skCheck, boxPk, signPk, authPk } = b;
  return { v, team, account, kdf, blob, skCheck, boxPk, signPk, authPk };
}

/**
 * The checks before Argon2id (unlockAccount's first steps): parse the Secret Key
 * (BAD_SECRET_KEY_FORMAT), the KDF params against the floor (KDF_TOO_WEAK / BAD_FORMAT), the
 * Secret Key verifier (WRONG_SECRET_KEY). Returns a copy of the Secret Key bytes.
 */
export function checkUnlockInputs(bundle: LocalAccountBundle | RelayAccountBundle, sk: string | SecretKeyBytes, floor: KdfFloor = KDF_FLOOR): SecretKeyBytes {
  const secretKey = typeof sk === 'string' ? parseSecretKey(sk) : (sk.slice() as SecretKeyBytes);
  checkKdfParams(bundle.kdf, floor);
  if (!constantTimeEqual(utf8(skCheckOf(secretKey, bundle.kdf)), utf8(bundle.skCheck))) {
    wipe(secretKey);
    throw new VaultError('WRONG_SECRET_KEY', 'unlockAccount: the Secret Key does not belong to this account');
  }
  return secretKey;
}

/**
 * Unlock from a local or relay bundle. Order: parse the Secret Key (BAD_SECRET_KEY_FORMAT),
 * check KDF params against the floor (KDF_TOO_WEAK / BAD_FORMAT), check the Secret Key
 * verifier (WRONG_SECRET_KEY), run Argon2id and open the blob (WRONG_PASSWORD), check the
 * decrypted keys match the bundle's public keys (TAMPERED). `unlockKey`: derived already (off
 * the UI thread, kdf-runner.ts) from this password, Secret Key and `bundle.kdf`; it is owned
 * by the result (or wiped on failure).
 */
export function unlockAccount(opts: { bundle: LocalAccountBundle | RelayAccountBundle; password: string; secretKey: string | SecretKeyBytes; floor?: KdfFloor; unlockKey?: UnlockKey }): AccountKeys {
  const { bundle } = opts;
  const floor = opts.floor ?? KDF_FLOOR;
  let secretKey: SecretKeyBytes;
  try {
    secretKey = checkUnlockInputs(bundle, opts.secretKey, floor);
  } catch (e) {
    if (opts.unlockKey) wipe(opts.unlockKey);
    throw e;
  }
  const unlockKey = opts.unlockKey ?? deriveUnlockKey(opts.password, secretKey, bundle.kdf, floor);
  let secrets: Uint8Array;
  try {
    secrets = aeadOpen(unlockKey, fromB64url(bundle.blob), blobAd(bundle.team, bundle.account, bundle.kdf));
  } catch (e) {
    wipe(unlockKey);
    throw new VaultError('WRONG_PASSWORD', 'unlockAccount: wrong password', { cause: e });
  }
  const box = boxKeyPairFromSecret(secrets.slice(0, 32) as BoxSecretKey);
  const sign = signKeyPairFromSeed(secrets.subarray(32, 64));
  wipe(secrets);
  const keys: AccountKeys = { team: bundle.team, account: bundle.account, secretKey, unlockKey, box, sign, auth: authKeyPair(unlockKey) };
  if (toB64url(box.publicKey) !== bundle.boxPk || toB64url(sign.publicKey) !== bundle.signPk) {
    lockAccount(keys);
    throw new VaultError('TAMPERED', 'unlockAccount: decrypted keys do not match the bundle');
  }
  const local = bundle as LocalAccountBundle;
  if (local.device && local.deviceBlob) keys.device = { id: local.device, sign: openDeviceKey(keys, local.device, local.deviceBlob) };
  return keys;
}

/** A new device keypair stored in the local bundle, encrypted under the unlock key. */
export function addDeviceKey(keys: AccountKeys, bundle: LocalAccountBundle, device: DeviceId): LocalAccountBundle {
  const sign = newSignKeyPair();
  keys.device = { id: device, sign };
  return { ...bundle, ...sealDeviceKey(keys) };
}

function sealDeviceKey(keys: AccountKeys): Pick<LocalAccountBundle, 'device' | 'deviceBlob' | 'devicePk'> {
  if (!keys.device) return {};
  const { id, sign } = keys.device;
  const blob = aeadSeal(keys.unlockKey, sign.secretKey.subarray(0, 32), deviceAd(keys.team, keys.account, id));
  return { device: id, deviceBlob: toB64url(blob) as B64Ciphertext, devicePk: toB64url(sign.publicKey) };
}

function openDeviceKey(keys: AccountKeys, device: DeviceId, blob: string): SignKeyPair {
  const seed = aeadOpen(keys.unlockKey, fromB64url(blob), deviceAd(keys.team, keys.account, device));
  const kp = signKeyPairFromSeed(seed);
  wipe(seed);
  return kp;
}

type ChangePasswordOptions = { keys: AccountKeys; bundle: LocalAccountBundle; oldPassword: string; newPassword: string } & KdfOptions;

/** The parameters of the new password: a new salt, cost at least the old one's. */
function nextKdfParams(opts: ChangePasswordOptions): KdfParams {
  const cost = opts.cost ?? opts.floor ?? KDF_FLOOR;
  return newKdfParams({ opslimit: Math.max(cost.opslimit, opts.bundle.kdf.opslimit), memlimit: Math.max(cost.memlimit, opts.bundle.kdf.memlimit) });
}

/** WRONG_PASSWORD unless `check` (derived from the old password) is the current unlock key; wipes it. */
function checkOldPassword(keys: AccountKeys, check: UnlockKey): void {
  const same = constantTimeEqual(check, keys.unlockKey);
  wipe(check);
  if (!same) throw new VaultError('WRONG_PASSWORD', 'changePassword: the current password is wrong');
}

function rewrap(keys: AccountKeys, bundle: LocalAccountBundle, kdf: KdfParams, unlockKey: UnlockKey): LocalAccountBundle {
  wipe(keys.unlockKey, keys.auth.secretKey);
  keys.unlockKey = unlockKey;
  keys.auth = authKeyPair(unlockKey);
  return { ...bundle, ...sealBundle(keys, kdf), ...sealDeviceKey(keys) };
}

/**
 * Change the password: verifies the old one (WRONG_PASSWORD), makes a new salt (cost may only
 * rise), re-wraps the account blob and device blob only — items are untouched. Mutates
 * `keys` (new unlock and auth keys; old ones are zeroed) and returns the new local bundle; the
 * relay needs `toRelayBundle(result)` (with its new authPk). Argon2id on this thread (the
 * vault uses changePasswordWith).
 */
export function changePassword(opts: ChangePasswordOptions): LocalAccountBundle {
  const { keys, bundle } = opts;
  const floor = opts.floor ?? KDF_FLOOR;
  checkOldPassword(keys, deriveUnlockKey(opts.oldPassword, keys.secretKey, checkKdfParams(bundle.kdf, floor), floor));
  const kdf = nextKdfParams(opts);
  return rewrap(keys, bundle, kdf, deriveUnlockKey(opts.newPassword, keys.secretKey, kdf, floor));
}

/**
 * changePassword with both derivations (old password, then new) run by `run` (off the UI
 * thread in the browser; kdf-runner.ts). A wrong old password stops before the second.
 */
export async function changePasswordWith(run: KdfRunner, opts: ChangePasswordOptions): Promise<LocalAccountBundle> {
  const { keys, bundle } = opts;
  const floor = opts.floor ?? KDF_FLOOR;
  checkOldPassword(keys, await run(opts.oldPassword, keys.secretKey, checkKdfParams(bundle.kdf, floor), floor));
  const kdf = nextKdfParams(opts);
  return rewrap(keys, bundle, kdf, await run(opts.newPassword, keys.secretKey, kdf, floor));
}

/** Zero every secret buffer of an unlocked account (R3). The object is unusable afterwards. */
export function lockAccount(keys: AccountKeys): void {
  wipe(keys.secretKey, keys.unlockKey, keys.box.secretKey, keys.sign.secretKey, keys.auth.secretKey, keys.device?.sign.secretKey);
}

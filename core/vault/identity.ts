/**
 * Relay-facing identity pieces: auth signatures, the account registration, device
 * registration (certificate + encrypted name) and the packing of the account key blob.
 */
import { canonicalBytes } from '../canonical.js';
import { concatBytes, fromB64url, fromUtf8, toB64url, utf8 } from '../encoding.js';
import { VaultError } from '../errors.js';
import { aeadOpen, aeadSeal } from '../crypto/aead.js';
import { deriveSubkey } from '../crypto/kdf.js';
import { signDetached } from '../crypto/sign.js';
import type { SignSecretKey, SymmetricKey } from '../crypto/key-types.js';
import type { AccountKeys } from '../model/account.js';
import type { RelayAccountBundle } from '../model/account-bundle.js';
import type { B64Ciphertext } from '../model/record.js';
import { AUTH_DOMAIN, authPayload } from '../../protocol/index.js';
import { deviceCert } from '../model/roster.js';

/** Signature for `auth` / `team.create`: Ed25519 over AUTH_DOMAIN ‖ canonicalJson({nonce, team, method, id}). */
export function authSig(sk: SignSecretKey, nonce: Uint8Array, team: string, method: 'device' | 'code' | 'account' | 'team.create' | 'team.join', id: string): string {
  return toB64url(signDetached(sk, AUTH_DOMAIN, canonicalBytes(authPayload(toB64url(nonce), team, method, id))));
}

/** keyBlob on the relay = base64url(JSON {blob, skCheck}): the relay's AccountRegistration has one opaque field. */
export function packKeyBlob(b: RelayAccountBundle): string {
  return toB64url(utf8(JSON.stringify({ blob: b.blob, skCheck: b.skCheck })));
}

export function unpackKeyBlob(keyBlob: string): { blob: B64Ciphertext; skCheck: string } {
  try {
    const v = JSON.parse(fromUtf8(fromB64url(keyBlob))) as { blob?: unknown; skCheck?: unknown };
    if (typeof v.blob === 'string' && typeof v.skCheck === 'string') return { blob: v.blob as B64Ciphertext, skCheck: v.skCheck };
  } catch {
    /* fall through */
  }
  throw new VaultError('BAD_FORMAT', 'unpackKeyBlob: the relay returned a malformed account key blob');
}

export function accountRegistration(b: RelayAccountBundle) {
  return { id: b.account, signPk: b.signPk, boxPk: b.boxPk, authPk: b.authPk, kdf: { ...b.kdf }, keyBlob: packKeyBlob(b) };
}

function nameKey(keys: AccountKeys): SymmetricKey {
  return deriveSubkey(keys.box.secretKey, 'truhe/device-name') as SymmetricKey;
}
function nameAd(keys: AccountKeys, device: string): Uint8Array {
  return concatBytes(utf8('truhe/device-name/v1'), canonicalBytes({ team: keys.team, account: keys.account, device }));
}

/** Device name encrypted so every device of the account (and nobody else) can read it. */
export function sealDeviceName(keys: AccountKeys, device: string, name: string): string {
  return toB64url(aeadSeal(nameKey(keys), utf8(name.slice(0, 200)), nameAd(keys, device)));
}

/** The device's name, or '' when it cannot be opened (the UI words that). */
export function openDeviceName(keys: AccountKeys, device: string, nameEnc: string): string {
  try {
    return fromUtf8(aeadOpen(nameKey(keys), fromB64url(nameEnc), nameAd(keys, device)));
  } catch {
    return ''; // data, not words: the UI words a missing name
  }
}


/** DeviceRegistration: the device key certified by the account signing key. */
export function deviceRegistration(keys: AccountKeys, name: string, platform: 'linux' | 'mac' | 'windows' | 'web' | 'other') {
  if (!keys.device) throw new VaultError('INTERNAL', 'deviceRegistration: no device key');
  const signPk = toB64url(keys.device.sign.publicKey);
  const cert = deviceCert(keys.sign.secretKey, keys.team, keys.account, keys.device.id, signPk);
  return { id: keys.device.id, signPk, cert, platform, nameEnc: sealDeviceName(keys, keys.device.id, name) };
}

/**
 * Access codes (DESIGN.md §4): an id the relay can look up (CodeId) and a 104-bit secret that
 * never reaches the relay. From the secret:
 *   seed = Argon2id(secret, salt = BLAKE2b-128('truhe/code-salt/v1' ‖ team ‖ code id), cost)
 *   verifier = Ed25519 seed keypair(subkey(seed, 'code-verifier'))  (public half → relay)
 *   wrap key = subkey(seed, 'code-wrap')                               (wraps the share key)
 * Typed form: `TRH-` + groups of 4 Crockford base32 chars encoding id(16) ‖ secret(13) ‖
 *   checksum(2 bytes of BLAKE2b) — case, spaces and dashes are ignored.
 * Link form: `truhe://join?relay=<url>&team=<TeamId>&code=<CodeId>.<secret base32>`.
 * Malformed input → VaultError('CODE_INVALID') with a message saying what is wrong.
 */
import { concatBytes, fromBase32, normalizeBase32, toBase32, utf8 } from '../encoding.js';
import { VaultError } from '../errors.js';
import { idBytes, isId, newId, parseTeamId, type CodeId, type TeamId } from '../ids.js';
import { blake2b } from '../crypto/hash.js';
import { argon2id, deriveSubkey, type KdfFloor } from '../crypto/kdf.js';
import { signKeyPairFromSeed } from '../crypto/keys.js';
import { randomBytes } from '../crypto/random.js';
import { wipe } from '../crypto/wipe.js';
import { toB64url } from '../encoding.js';
import type { CodeWrapKey, SignKeyPair } from '../crypto/key-types.js';

export const CODE_SECRET_BYTES = 13; // 104 bits
/** Argon2id cost for code seeds: INTERACTIVE (2 passes, 64 MiB). The 104-bit secret is the
 *  real protection; Argon2id is depth against a stolen relay copy of the verifier. */
export const CODE_KDF_COST: KdfFloor = { opslimit: 2, memlimit: 64 * 1024 * 1024 };

export interface AccessCode {
  id: CodeId;
  /** 13 secret bytes; never sent to the relay. */
  secret: Uint8Array;
}

export interface CodeKeys {
  verifier: SignKeyPair;
  wrapKey: CodeWrapKey;
}

export interface JoinLink {
  relay: string;
  team: TeamId;
  code: AccessCode;
}

function invalid(fn: string, why: string, cause?: unknown): VaultError {
  return new VaultError('CODE_INVALID', `${fn}: ${why}`, cause === undefined ? undefined : { cause });
}

/** A fresh code (random id and secret). */
export function newAccessCode(): AccessCode {
  return { id: newId<CodeId>(), secret: randomBytes(CODE_SECRET_BYTES) };
}

/** Derive the verifier keypair and the wrap key (Argon2id, ~0.3 s at CODE_KDF_COST). */
export function deriveCodeKeys(team: TeamId, code: AccessCode, cost: KdfFloor = CODE_KDF_COST): CodeKeys {
  if (code.secret.length !== CODE_SECRET_BYTES) throw invalid('deriveCodeKeys', 'secret must be 13 bytes');
  const salt = blake2b(concatBytes(utf8('truhe/code-salt/v1'), idBytes(team), idBytes(code.id)), 16);
  const seed = argon2id(code.secret, salt, cost);
  const vSeed = deriveSubkey(seed, 'code-verifier');
  const verifier = signKeyPairFromSeed(vSeed);
  const wrapKey = deriveSubkey<CodeWrapKey>(seed, 'code-wrap');
  wipe(seed, vSeed);
  return { verifier, wrapKey };
}

function sum(payload: Uint8Array): Uint8Array {
  return blake2b(concatBytes(utf8('truhe/code-sum/v1'), payload), 16).subarray(0, 2);
}

/** `TRH-XXXX-XXXX-…` (13 groups of 4 after the prefix). */
export function formatAccessCode(code: AccessCode): string {
  const payload = concatBytes(idBytes(code.id), code.secret);
  const chars = toBase32(concatBytes(payload, sum(payload)));
  return `TRH-${chars.match(/.{1,4}/g)!.join('-')}`;
}

/** Parse the typed form. Throws VaultError('CODE_INVALID'). */
export function parseAccessCode(text: string): AccessCode {
  if (typeof text !== 'string') throw invalid('parseAccessCode', 'not a string');
  let clean: string;
  try {
    clean = normalizeBase32(text.trim().replace(/^trh[-\s]*/i, ''));
  } catch (e) {
    throw invalid('parseAccessCode', 'contains a character that is not in an access code', e);
  }
  const total = 16 + CODE_SECRET_BYTES + 2;
  let bytes: Uint8Array;
  try {
    bytes = fromBase32(clean, total);
  } catch (e) {
    throw invalid('parseAccessCode', `expected ${Math.ceil((total * 8) / 5)} characters after TRH, got ${clean.length}`, e);
  }
  const payload = bytes.subarray(0, 16 + CODE_SECRET_BYTES);
  const s = sum(payload);
  if (bytes[total - 2] !== s[0] || bytes[total - 1] !== s[1] || toBase32(bytes) !== clean) {
    throw invalid('parseAccessCode', 'checksum mismatch (typo?)');
  }
  return { id: toB64url(payload.subarray(0, 16)) as CodeId, secret: payload.slice(16) };
}

/** `truhe://join?relay=…&team=…&code=<id>.<secret>` */
export function formatJoinLink(link: JoinLink): string {
  const q = new URLSearchParams({ relay: link.relay, team: link.team, code: `${link.code.id}.${toBase32(link.code.secret)}` });
  return `truhe://join?${q.toString()}`;
}

/** Parse a join link. Throws VaultError('CODE_INVALID') naming the bad part. */
export function parseJoinLink(text: string): JoinLink {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch (e) {
    throw invalid('parseJoinLink', 'not a link', e);
  }
  if (url.protocol !== 'truhe:' || (url.host !== 'join' && url.pathname.replace(/^\/+/, '') !== 'join')) {
    throw invalid('parseJoinLink', 'not a truhe://join link');
  }
  const relay = url.searchParams.get('relay');
  const team = url.searchParams.get('team');
  const code = url.searchParams.get('code');
  if (!relay) throw invalid('parseJoinLink', 'missing relay');
  if (!team || !isId(team)) throw invalid('parseJoinLink', 'missing or malformed team');
  const m = /^([A-Za-z0-9_-]{22})\.([0-9A-Za-z]+)$/.exec(code ?? '');
  if (!m || !isId(m[1])) throw invalid('parseJoinLink', 'code must be <id>.<secret>');
  let secret: Uint8Array;
  try {
    secret = fromBase32(m[2]!, CODE_SECRET_BYTES);
  } catch (e) {
    throw invalid('parseJoinLink', 'malformed code secret', e);
  }
  if (toBase32(secret) !== normalizeBase32(m[2]!)) throw invalid('parseJoinLink', 'malformed code secret');
  return { relay, team: parseTeamId(team), code: { id: m[1] as CodeId, secret } };
}

/** base64url of the verifier public key, as sent to the relay in `code.create`. */
export function verifierPublicKeyB64(keys: CodeKeys): string {
  return toB64url(keys.verifier.publicKey);
}


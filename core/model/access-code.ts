/**
 * Access codes (DESIGN.md §4): an id the relay can look up (CodeId) and a 104-bit secret that
 * never reaches the relay. From the secret:
 *   seed = Argon2id(secret, salt = BLAKE2b-128('truhe/code-salt/v1' ‖ team ‖ code id), cost)
 *   verifier = Ed25519 seed keypair(subkey(seed, 'code-verifier'))  (public half → relay)
 *   wrap key = subkey(seed, 'code-wrap')                               (wraps the share key)
 * Typed form (v2, read aloud): 28 Crockford base32 characters in 7 groups of 4,
 *   `7K3M-Q0TZ-…`: tag(3 bytes) ‖ secret(13 bytes) in 26 characters (2 zero padding bits), then
 *   2 check characters (code-check.ts: any one or two wrong characters are caught). The CodeId
 *   the relay knows is BLAKE2b-128('truhe/code-id/v2' ‖ team ‖ tag): the code need not carry
 *   the 16-byte id, and the 24-bit tag is public (only the 104-bit secret protects the share).
 *   Case, spaces and dashes are ignored; O reads as 0, I and L as 1; there is no U.
 * Typed form v1 (codes made before): `TRH-` + 50 characters encoding id(16) ‖ secret(13) ‖
 *   checksum(2 bytes of BLAKE2b); still accepted, never made any more.
 * Link form: `truhe://join?relay=<url>&team=<TeamId>&code=<CodeId>.<secret base32>`.
 * Malformed input → VaultError('CODE_INVALID') with a message saying what is wrong; a code of
 * the right shape whose check fails (a mistyped character) → VaultError('CODE_TYPO'). Both are
 * found before anything is sent, so a typo never counts as a failed attempt at the relay.
 */
import { concatBytes, fromBase32, normalizeBase32, toBase32, utf8 } from '../encoding.js';
import { VaultError } from '../errors.js';
import { idBytes, isId, newId, parseTeamId, type CodeId, type TeamId } from '../ids.js';
import { checkSymbols } from './code-check.js';
import { blake2b } from '../crypto/hash.js';
import { argon2id, deriveSubkey, type KdfFloor } from '../crypto/kdf.js';
import type { KdfRunner } from '../crypto/kdf-runner.js';
import { signKeyPairFromSeed } from '../crypto/keys.js';
import { randomBytes } from '../crypto/random.js';
import { wipe } from '../crypto/wipe.js';
import { toB64url } from '../encoding.js';
import type { CodeWrapKey, SignKeyPair } from '../crypto/key-types.js';

export const CODE_SECRET_BYTES = 13; // 104 bits
/** Public lookup tag of a v2 code (the CodeId is derived from it and the team). */
export const CODE_TAG_BYTES = 3;
/** Crockford base32 (no I, L, O, U): 5 bits per character. */
export const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Characters of a v2 code: data (tag + secret, rounded up to whole characters) + 2 check characters. */
export const CODE_DATA_CHARS = Math.ceil(((CODE_TAG_BYTES + CODE_SECRET_BYTES) * 8) / 5); // 26
export const CODE_CHARS = CODE_DATA_CHARS + 2; // 28 = 7 groups of 4
const V1_CHARS = Math.ceil(((16 + CODE_SECRET_BYTES + 2) * 8) / 5); // 50
/** Argon2id cost for code seeds: INTERACTIVE (2 passes, 64 MiB). The 104-bit secret is the
 *  real protection; Argon2id is depth against a stolen relay copy of the verifier. */
export const CODE_KDF_COST: KdfFloor = { opslimit: 2, memlimit: 64 * 1024 * 1024 };

export interface AccessCode {
  id: CodeId;
  /** 13 secret bytes; never sent to the relay. */
  secret: Uint8Array;
  /** v2 codes: the 3-byte public tag the id is derived from (absent for v1 codes, whose id is random). */
  tag?: Uint8Array;
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

/** The CodeId of a v2 code: BLAKE2b-128('truhe/code-id/v2' ‖ team ‖ tag), base64url. */
export function codeIdFromTag(team: TeamId, tag: Uint8Array): CodeId {
  return toB64url(blake2b(concatBytes(utf8('truhe/code-id/v2'), idBytes(team), tag), 16)) as CodeId;
}

/** A fresh v2 code of `team` (random tag and secret). */
export function newAccessCode(team: TeamId): AccessCode {
  const tag = randomBytes(CODE_TAG_BYTES);
  return { id: codeIdFromTag(team, tag), secret: randomBytes(CODE_SECRET_BYTES), tag };
}

/** A fresh v1 code (random 16-byte id): only for tests of codes made before v2. */
export function newAccessCodeV1(): AccessCode {
  return { id: newId<CodeId>(), secret: randomBytes(CODE_SECRET_BYTES) };
}

/** The Argon2id salt of a code's seed: BLAKE2b-128('truhe/code-salt/v1' ‖ team ‖ code id). */
function codeSalt(fn: string, team: TeamId, code: AccessCode): Uint8Array {
  if (code.secret.length !== CODE_SECRET_BYTES) throw invalid(fn, 'secret must be 13 bytes');
  return blake2b(concatBytes(utf8('truhe/code-salt/v1'), idBytes(team), idBytes(code.id)), 16);
}

/** The verifier keypair and the wrap key from the seed (which is wiped). */
function codeKeysFromSeed(seed: Uint8Array): CodeKeys {
  const vSeed = deriveSubkey(seed, 'code-verifier');
  const verifier = signKeyPairFromSeed(vSeed);
  const wrapKey = deriveSubkey<CodeWrapKey>(seed, 'code-wrap');
  wipe(seed, vSeed);
  return { verifier, wrapKey };
}

/** Derive the verifier keypair and the wrap key (Argon2id, ~0.3 s at CODE_KDF_COST) on this thread. */
export function deriveCodeKeys(team: TeamId, code: AccessCode, cost: KdfFloor = CODE_KDF_COST): CodeKeys {
  return codeKeysFromSeed(argon2id(code.secret, codeSalt('deriveCodeKeys', team, code), cost));
}

/** deriveCodeKeys with Argon2id run by `kdf` (off the UI thread in the browser; kdf-runner.ts). */
export async function deriveCodeKeysWith(kdf: KdfRunner, team: TeamId, code: AccessCode, cost: KdfFloor = CODE_KDF_COST): Promise<CodeKeys> {
  return codeKeysFromSeed(await kdf.code(code.secret, codeSalt('deriveCodeKeys', team, code), cost));
}

function sum(payload: Uint8Array): Uint8Array {
  return blake2b(concatBytes(utf8('truhe/code-sum/v1'), payload), 16).subarray(0, 2);
}

const groups = (chars: string) => chars.match(/.{1,4}/g)!.join('-');

/** v2: `XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX` (28 characters); a v1 code keeps its `TRH-` form. */
export function formatAccessCode(code: AccessCode): string {
  if (!code.tag) {
    const payload = concatBytes(idBytes(code.id), code.secret);
    return `TRH-${groups(toBase32(concatBytes(payload, sum(payload))))}`;
  }
  const data = toBase32(concatBytes(code.tag, code.secret));
  const [p, q] = checkSymbols([...data].map((c) => CODE_ALPHABET.indexOf(c)));
  return groups(data + CODE_ALPHABET[p]! + CODE_ALPHABET[q]!);
}

function typo(why: string): VaultError {
  return new VaultError('CODE_TYPO', `parseAccessCode: ${why}`);
}

/**
 * Parse the typed form of a code of `team` (v2, or v1 with or without its `TRH` prefix).
 * Throws VaultError('CODE_INVALID') for what is not shaped like a code, ('CODE_TYPO') when the
 * check characters (v2) or checksum (v1) do not match: a character is mistyped.
 */
export function parseAccessCode(text: string, team: TeamId): AccessCode {
  if (typeof text !== 'string') throw invalid('parseAccessCode', 'not a string');
  let clean: string;
  try {
    clean = normalizeBase32(text.trim());
  } catch (e) {
    throw invalid('parseAccessCode', 'contains a character that is not in an access code', e);
  }
  if (clean.length === CODE_CHARS) return parseV2(clean, team);
  if (clean.length === V1_CHARS + 3 && clean.startsWith('TRH')) return parseV1(clean.slice(3));
  if (clean.length === V1_CHARS) return parseV1(clean);
  throw invalid('parseAccessCode', `expected ${CODE_CHARS} characters (7 groups of 4), got ${clean.length}`);
}

function parseV2(clean: string, team: TeamId): AccessCode {
  const values = [...clean].map((c) => CODE_ALPHABET.indexOf(c));
  const [p, q] = checkSymbols(values.slice(0, CODE_DATA_CHARS));
  if (p !== values[CODE_DATA_CHARS] || q !== values[CODE_DATA_CHARS + 1]) throw typo('check characters do not match (typo?)');
  const data = clean.slice(0, CODE_DATA_CHARS);
  const bytes = fromBase32(data, CODE_TAG_BYTES + CODE_SECRET_BYTES);
  if (toBase32(bytes) !== data) throw typo('padding bits set (typo?)');
  const tag = bytes.slice(0, CODE_TAG_BYTES);
  return { id: codeIdFromTag(parseTeamId(team), tag), secret: bytes.slice(CODE_TAG_BYTES), tag };
}

function parseV1(clean: string): AccessCode {
  const total = 16 + CODE_SECRET_BYTES + 2;
  const bytes = fromBase32(clean, total);
  const payload = bytes.subarray(0, 16 + CODE_SECRET_BYTES);
  const s = sum(payload);
  if (bytes[total - 2] !== s[0] || bytes[total - 1] !== s[1] || toBase32(bytes) !== clean) throw typo('checksum mismatch (typo?)');
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


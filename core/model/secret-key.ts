/**
 * The 128-bit account Secret Key in its emergency-kit form:
 *   `A3-XXXXXX-XXXXXX-XXXXX-XXXXX-XXXXX-XXXXX` = 'A3' ‖ Crockford base32 of the 16 bytes (26
 *   chars, 2 zero pad bits) ‖ 6-char checksum (first 30 bits of
 *   BLAKE2b-256('truhe/sk-checksum/v1' ‖ key)). Parsing ignores case, spaces and dashes,
 *   accepts the input with or without the 'A3' prefix, and reads I/L as 1 and O as 0; any typo
 *   fails the checksum → VaultError('BAD_SECRET_KEY_FORMAT').
 */
import { concatBytes, fromBase32, normalizeBase32, toBase32, utf8 } from '../encoding.js';
import { VaultError } from '../errors.js';
import { blake2b } from '../crypto/hash.js';
import { randomBytes } from '../crypto/random.js';
import type { SecretKeyBytes } from '../crypto/key-types.js';

export const SECRET_KEY_BYTES = 16;
const PREFIX = 'A3';
const KEY_CHARS = 26;
const SUM_CHARS = 6;
const GROUPS = [6, 6, 5, 5, 5, 5];

function checksum(key: Uint8Array): string {
  return toBase32(blake2b(concatBytes(utf8('truhe/sk-checksum/v1'), key), 32).subarray(0, 4)).slice(0, SUM_CHARS);
}

/** A fresh random Secret Key. */
export function newSecretKey(): SecretKeyBytes {
  return randomBytes(SECRET_KEY_BYTES) as SecretKeyBytes;
}

/** 16 bytes → `A3-…` emergency-kit string. */
export function formatSecretKey(key: SecretKeyBytes): string {
  if (key.length !== SECRET_KEY_BYTES) throw new VaultError('BAD_SECRET_KEY_FORMAT', 'formatSecretKey: must be 16 bytes');
  const body = toBase32(key) + checksum(key);
  const groups: string[] = [];
  let off = 0;
  for (const n of GROUPS) {
    groups.push(body.slice(off, off + n));
    off += n;
  }
  return `${PREFIX}-${groups.join('-')}`;
}

/** Parse a typed Secret Key. Throws VaultError('BAD_SECRET_KEY_FORMAT') with a hint. */
export function parseSecretKey(text: string): SecretKeyBytes {
  if (typeof text !== 'string') throw new VaultError('BAD_SECRET_KEY_FORMAT', 'parseSecretKey: not a string');
  let clean: string;
  try {
    clean = normalizeBase32(text);
  } catch (e) {
    throw new VaultError('BAD_SECRET_KEY_FORMAT', 'parseSecretKey: contains a character that is not in a Secret Key', { cause: e });
  }
  if (clean.length === KEY_CHARS + SUM_CHARS + PREFIX.length && clean.startsWith(PREFIX)) clean = clean.slice(PREFIX.length);
  if (clean.length !== KEY_CHARS + SUM_CHARS) {
    throw new VaultError('BAD_SECRET_KEY_FORMAT', `parseSecretKey: expected ${KEY_CHARS + SUM_CHARS} characters after A3, got ${clean.length}`);
  }
  const keyPart = clean.slice(0, KEY_CHARS);
  const key = fromBase32(keyPart, SECRET_KEY_BYTES) as SecretKeyBytes;
  if (toBase32(key) !== keyPart || checksum(key) !== clean.slice(KEY_CHARS)) {
    throw new VaultError('BAD_SECRET_KEY_FORMAT', 'parseSecretKey: checksum mismatch (typo?)');
  }
  return key;
}

/**
 * Byte/string encodings used on the wire and in the store. Pure TypeScript (no libsodium) so
 * the protocol layer and tests can use the same rules: base64url WITHOUT padding, UTF-8,
 * big-endian integers, and Crockford base32 for human-typed codes.
 */
import { b64urlDecode, b64urlEncode } from '../protocol/base64url.js';
import { VaultError } from './errors.js';

/** Bytes → base64url without padding (the protocol's own encoder: one implementation for both). */
export function toB64url(bytes: Uint8Array): string {
  return b64urlEncode(bytes);
}

/**
 * base64url (no padding) → bytes. Strict: rejects padding, other alphabets, impossible
 * lengths and non-zero trailing bits. Throws VaultError('BAD_FORMAT').
 */
export function fromB64url(text: string): Uint8Array {
  const out = b64urlDecode(text);
  if (out === null) throw new VaultError('BAD_FORMAT', 'fromB64url: not strict base64url (length, alphabet or trailing bits)');
  return out;
}

const UTF8_ENC = new TextEncoder();
const UTF8_DEC = new TextDecoder('utf-8', { fatal: true });

/** String → UTF-8 bytes. */
export function utf8(text: string): Uint8Array {
  return UTF8_ENC.encode(text);
}

/** UTF-8 bytes → string. Throws VaultError('BAD_FORMAT') on invalid UTF-8. */
export function fromUtf8(bytes: Uint8Array): string {
  try {
    return UTF8_DEC.decode(bytes);
  } catch (e) {
    throw new VaultError('BAD_FORMAT', 'fromUtf8: invalid UTF-8', { cause: e });
  }
}

/** Concatenate byte arrays. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** Unsigned 32-bit integer → 4 bytes big-endian. */
export function u32be(n: number): Uint8Array {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) {
    throw new VaultError('BAD_FORMAT', `u32be: ${n} is not a u32`);
  }
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n, false);
  return out;
}

/** Non-negative safe integer → 8 bytes big-endian. */
export function u64be(n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || n < 0) throw new VaultError('BAD_FORMAT', `u64be: ${n} is not a safe u64`);
  const out = new Uint8Array(8);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, Math.floor(n / 2 ** 32), false);
  dv.setUint32(4, n >>> 0, false);
  return out;
}

/** Crockford base32 alphabet (no I, L, O, U). */
export const BASE32_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Bytes → Crockford base32 (upper case, no padding); trailing bits are zero-filled. */
export function toBase32(bytes: Uint8Array): string {
  let out = '';
  let acc = 0;
  let bits = 0;
  for (const b of bytes) {
    acc = ((acc << 8) | b) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += BASE32_ALPHABET[(acc >> bits) & 31]!;
    }
  }
  if (bits > 0) out += BASE32_ALPHABET[(acc << (5 - bits)) & 31]!;
  return out;
}

/**
 * Crockford base32 → exactly `byteLength` bytes. Tolerant as a human typist needs: case,
 * spaces and dashes are ignored; I/L read as 1, O as 0. Throws VaultError('BAD_FORMAT') on an
 * invalid character or a wrong length.
 */
export function fromBase32(text: string, byteLength: number): Uint8Array {
  const clean = normalizeBase32(text);
  if (clean.length !== Math.ceil((byteLength * 8) / 5)) {
    throw new VaultError('BAD_FORMAT', `fromBase32: expected ${Math.ceil((byteLength * 8) / 5)} characters, got ${clean.length}`);
  }
  const out = new Uint8Array(byteLength);
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (const ch of clean) {
    acc = ((acc << 5) | BASE32_ALPHABET.indexOf(ch)) & 0xffff;
    bits += 5;
    if (bits >= 8 && o < byteLength) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}

/** Upper-cases, strips spaces/dashes, maps I/L→1 and O→0; throws BAD_FORMAT on other chars. */
export function normalizeBase32(text: string): string {
  const clean = text.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  for (let i = 0; i < clean.length; i++) {
    if (!BASE32_ALPHABET.includes(clean[i]!)) {
      throw new VaultError('BAD_FORMAT', `fromBase32: invalid character '${clean[i]}'`);
    }
  }
  return clean;
}

/** Byte equality that is NOT constant time; for public data only (see crypto/compare.ts). */
export function bytesEqualPublic(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

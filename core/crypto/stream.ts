/**
 * Chunked file encryption: the STREAM construction (as in age and Tink streaming AEAD) over
 * XChaCha20-Poly1305-IETF. DESIGN.md §3.
 *
 * Header (40 bytes, kept inside the encrypted file record):
 *   version u8 (=1) ‖ chunkSize u32 BE ‖ prefix (19 random bytes) ‖ keyCheck (16 bytes)
 *   keyCheck = BLAKE2b-128(key = file key, 'truhe/stream-kc/v1' ‖ prefix) — lets a reader tell
 *   "wrong key" (WRONG_KEY) from "altered chunk" (TAMPERED) without decrypting.
 * Chunk i (plaintext exactly chunkSize bytes except the last, which is 0..chunkSize):
 *   nonce(24) = prefix(19) ‖ u32 BE i ‖ last (0x01 for the final chunk, else 0x00)
 *   stored bytes = ciphertext ‖ tag(16) = crypto_aead_xchacha20poly1305_ietf_encrypt(pt, AD = empty)
 *   The nonce is not stored: it is recomputed from the header and the index.
 * Native path (same bytes): XChaCha20-Poly1305 is ChaCha20-Poly1305-IETF under
 *   subkey = HChaCha20(file key, nonce[0..16]) = HChaCha20(key, prefix[0..16]) (once per file) and
 *   nonce12 = 00000000 ‖ nonce[16..24] = 00000000 ‖ prefix[16..19] ‖ u32 BE i ‖ last,
 * so node:crypto's 'chacha20-poly1305' with that subkey produces identical output
 * (checked in test/unit/core/crypto/stream.test.ts).
 * Reorder, duplicate or drop → authentication fails at that index (TAMPERED); a stream that ends
 * without a chunk flagged last → TRUNCATED; data after the last chunk → TAMPERED.
 */
import { VaultError } from '../errors.js';
import { concatBytes, u32be, utf8 } from '../encoding.js';
import { constantTimeEqual } from './compare.js';
import { blake2b } from './hash.js';
import type { FileKey } from './key-types.js';
import { randomBytes } from './random.js';
import { sodium } from './sodium.js';

export const STREAM_VERSION = 1;
export const STREAM_HEADER_BYTES = 40;
export const STREAM_PREFIX_BYTES = 19;
export const STREAM_TAG_BYTES = 16;
export const MIN_CHUNK_SIZE = 64 * 1024;
export const MAX_CHUNK_SIZE = 1024 * 1024;
export const DEFAULT_CHUNK_SIZE = MAX_CHUNK_SIZE;

export interface StreamHeader {
  version: 1;
  chunkSize: number;
  prefix: Uint8Array;
  keyCheck: Uint8Array;
  bytes: Uint8Array;
}

function keyCheckOf(key: FileKey, prefix: Uint8Array): Uint8Array {
  return blake2b(concatBytes(utf8('truhe/stream-kc/v1'), prefix), 16, key);
}

function checkChunkSize(chunkSize: number): void {
  if (!Number.isInteger(chunkSize) || chunkSize < MIN_CHUNK_SIZE || chunkSize > MAX_CHUNK_SIZE) {
    throw new VaultError('BAD_FORMAT', `streamHeader: chunk size ${chunkSize} outside 64 KiB–1 MiB`);
  }
}

/** A fresh header for `key` (random prefix). chunkSize in bytes, 64 KiB..1 MiB. */
export function newStreamHeader(key: FileKey, chunkSize = DEFAULT_CHUNK_SIZE): StreamHeader {
  checkChunkSize(chunkSize);
  const prefix = randomBytes(STREAM_PREFIX_BYTES);
  const keyCheck = keyCheckOf(key, prefix);
  const bytes = concatBytes(Uint8Array.of(STREAM_VERSION), u32be(chunkSize), prefix, keyCheck);
  return { version: 1, chunkSize, prefix, keyCheck, bytes };
}

/** Parse the 40-byte header. Throws VaultError('BAD_FORMAT') on a bad length/version/size. */
export function parseStreamHeader(bytes: Uint8Array): StreamHeader {
  if (bytes.length !== STREAM_HEADER_BYTES) throw new VaultError('BAD_FORMAT', 'parseStreamHeader: wrong length');
  if (bytes[0] !== STREAM_VERSION) throw new VaultError('BAD_FORMAT', `parseStreamHeader: unknown version ${bytes[0]}`);
  const chunkSize = new DataView(bytes.buffer, bytes.byteOffset + 1, 4).getUint32(0, false);
  checkChunkSize(chunkSize);
  return { version: 1, chunkSize, prefix: bytes.slice(5, 24), keyCheck: bytes.slice(24, 40), bytes: bytes.slice() };
}

/** Throws VaultError('WRONG_KEY') if `key` is not the key the header was made for. */
export function checkStreamKey(key: FileKey, header: StreamHeader): void {
  if (!constantTimeEqual(keyCheckOf(key, header.prefix), header.keyCheck)) {
    throw new VaultError('WRONG_KEY', 'checkStreamKey: key does not match this file');
  }
}

/** The 24-byte nonce of chunk `index` (u32) with the `last` flag. */
export function chunkNonce(header: StreamHeader, index: number, last: boolean): Uint8Array {
  return concatBytes(header.prefix, u32be(index), Uint8Array.of(last ? 1 : 0));
}

/**
 * Seal chunk `index`. `plaintext` must be exactly chunkSize bytes unless `last`
 * (then 0..chunkSize). Returns ciphertext ‖ tag (plaintext length + 16).
 */
export function sealChunk(key: FileKey, header: StreamHeader, index: number, plaintext: Uint8Array, last: boolean): Uint8Array {
  if (last ? plaintext.length > header.chunkSize : plaintext.length !== header.chunkSize) {
    throw new VaultError('BAD_FORMAT', `sealChunk: chunk ${index} has ${plaintext.length} bytes`);
  }
  return sodium().crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, null, null, chunkNonce(header, index, last), key);
}

/**
 * Open chunk `index` whose position (final or not) the caller knows, e.g. from the chunk
 * count in the file record. Throws WRONG_KEY (key check), TAMPERED (altered, moved, duplicated
 * chunk or wrong last flag), BAD_FORMAT (wrong size for its position).
 */
export function openChunk(key: FileKey, header: StreamHeader, index: number, sealed: Uint8Array, last: boolean): Uint8Array {
  checkStreamKey(key, header);
  return openChunkUnchecked(key, header, index, sealed, last);
}

function openChunkUnchecked(key: FileKey, header: StreamHeader, index: number, sealed: Uint8Array, last: boolean): Uint8Array {
  const maxLen = header.chunkSize + STREAM_TAG_BYTES;
  if (sealed.length < STREAM_TAG_BYTES || sealed.length > maxLen || (!last && sealed.length !== maxLen)) {
    throw new VaultError('TAMPERED', `openChunk: chunk ${index} has the wrong size for its position`);
  }
  try {
    return sodium().crypto_aead_xchacha20poly1305_ietf_decrypt(null, sealed, null, chunkNonce(header, index, last), key);
  } catch (e) {
    throw new VaultError('TAMPERED', `openChunk: chunk ${index} failed authentication`, { cause: e });
  }
}

/**
 * Sequential reader for a stream whose length is not known in advance: feed chunks in order
 * with `next()`, then call `finish()`. Throws TAMPERED on reorder/duplicate/alteration or data
 * after the final chunk, TRUNCATED from finish() if no final chunk was seen.
 */
export class StreamOpener {
  private index = 0;
  private done = false;
  constructor(private readonly key: FileKey, private readonly header: StreamHeader) {
    checkStreamKey(key, header);
  }

  next(sealed: Uint8Array): Uint8Array {
    if (this.done) throw new VaultError('TAMPERED', 'StreamOpener.next: data after the final chunk');
    const i = this.index;
    if (sealed.length === this.header.chunkSize + STREAM_TAG_BYTES) {
      try {
        const pt = openChunkUnchecked(this.key, this.header, i, sealed, false);
        this.index++;
        return pt;
      } catch {
        // may be a full-size final chunk; fall through
      }
    }
    const pt = openChunkUnchecked(this.key, this.header, i, sealed, true);
    this.index++;
    this.done = true;
    return pt;
  }

  finish(): void {
    if (!this.done) throw new VaultError('TRUNCATED', `StreamOpener.finish: stream ended after ${this.index} chunks without a final chunk`);
  }
}

/**
 * Streaming cipher bounds (core/crypto/stream.ts): chunk sizes at the edges, header fields, the
 * size a chunk must have for its position, and the exact error of each refusal.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../../../../core/crypto/sodium.js';
import { randomKey } from '../../../../core/crypto/keys.js';
import {
  checkStreamKey, MAX_CHUNK_SIZE, MIN_CHUNK_SIZE, newStreamHeader, openChunk, parseStreamHeader, sealChunk, StreamOpener,
} from '../../../../core/crypto/stream.js';
import type { FileKey } from '../../../../core/crypto/key-types.js';
import { expectCode } from '../helpers.js';

beforeAll(ready);
const TAG = 16;

describe('stream bounds', () => {
  it('chunk sizes: 64 KiB and 1 MiB are the edges; the header carries the size, prefix and key check', async () => {
    const key = randomKey<FileKey>();
    for (const size of [MIN_CHUNK_SIZE, MAX_CHUNK_SIZE]) {
      const h = newStreamHeader(key, size);
      const p = parseStreamHeader(h.bytes);
      expect([p.version, p.chunkSize, p.prefix, p.keyCheck, p.bytes]).toEqual([1, size, h.prefix, h.keyCheck, h.bytes]);
      expect(p.bytes).not.toBe(h.bytes);
    }
    for (const size of [MIN_CHUNK_SIZE - 1, MAX_CHUNK_SIZE + 1, MIN_CHUNK_SIZE + 0.5]) {
      expect((await expectCode(() => newStreamHeader(key, size), 'BAD_FORMAT')).message).toBe(`streamHeader: chunk size ${size} outside 64 KiB–1 MiB`);
    }
  });
  it('parseStreamHeader: wrong length, unknown version', async () => {
    const h = newStreamHeader(randomKey<FileKey>(), MIN_CHUNK_SIZE);
    for (const b of [h.bytes.slice(0, -1), new Uint8Array([...h.bytes, 0])]) expect((await expectCode(() => parseStreamHeader(b), 'BAD_FORMAT')).message).toBe('parseStreamHeader: wrong length');
    const v2 = h.bytes.slice();
    v2[0] = 2;
    expect((await expectCode(() => parseStreamHeader(v2), 'BAD_FORMAT')).message).toBe('parseStreamHeader: unknown version 2');
  });
  it('the key check names the mismatch', async () => {
    const h = newStreamHeader(randomKey<FileKey>(), MIN_CHUNK_SIZE);
    expect((await expectCode(() => checkStreamKey(randomKey<FileKey>(), h), 'WRONG_KEY')).message).toBe('checkStreamKey: key does not match this file');
  });
  it('sealChunk: a middle chunk is exactly chunkSize; a final one at most chunkSize', async () => {
    const key = randomKey<FileKey>();
    const h = newStreamHeader(key, MIN_CHUNK_SIZE);
    expect(sealChunk(key, h, 0, new Uint8Array(MIN_CHUNK_SIZE), true)).toHaveLength(MIN_CHUNK_SIZE + TAG);
    expect(sealChunk(key, h, 0, new Uint8Array(0), true)).toHaveLength(TAG);
    for (const [n, last] of [[MIN_CHUNK_SIZE - 1, false], [MIN_CHUNK_SIZE + 1, false], [MIN_CHUNK_SIZE + 1, true]] as const) {
      expect((await expectCode(() => sealChunk(key, h, 3, new Uint8Array(n), last), 'BAD_FORMAT')).message).toBe(`sealChunk: chunk 3 has ${n} bytes`);
    }
  });
  it('openChunk: a chunk of the wrong size for its position is TAMPERED before decryption', async () => {
    const key = randomKey<FileKey>();
    const h = newStreamHeader(key, MIN_CHUNK_SIZE);
    const full = sealChunk(key, h, 0, new Uint8Array(MIN_CHUNK_SIZE), false);
    const small = sealChunk(key, h, 0, new Uint8Array(10), true);
    expect(openChunk(key, h, 0, full, false)).toHaveLength(MIN_CHUNK_SIZE);
    expect(openChunk(key, h, 0, small, true)).toHaveLength(10);
    const size = (n: number) => `openChunk: chunk ${n} has the wrong size for its position`;
    for (const [bytes, last] of [[small, false], [full.subarray(0, full.length - 1), false], [new Uint8Array(TAG - 1), true], [new Uint8Array(full.length + 1), true]] as const) {
      expect((await expectCode(() => openChunk(key, h, 0, bytes, last), 'TAMPERED')).message).toBe(size(0));
    }
    const auth = await expectCode(() => openChunk(key, h, 1, full, false), 'TAMPERED');
    expect(auth.message).toBe('openChunk: chunk 1 failed authentication');
    expect(auth.cause).toBeDefined();
  });
  it('StreamOpener: counts chunks, refuses data after the final one, and finish() names how many came', async () => {
    const key = randomKey<FileKey>();
    const h = newStreamHeader(key, MIN_CHUNK_SIZE);
    const o = new StreamOpener(key, h);
    o.next(sealChunk(key, h, 0, new Uint8Array(MIN_CHUNK_SIZE), false));
    o.next(sealChunk(key, h, 1, new Uint8Array(MIN_CHUNK_SIZE), false));
    expect((await expectCode(() => o.finish(), 'TRUNCATED')).message).toBe('StreamOpener.finish: stream ended after 2 chunks without a final chunk');
    expect(o.next(sealChunk(key, h, 2, new Uint8Array(5), true))).toHaveLength(5);
    o.finish();
    expect((await expectCode(() => o.next(sealChunk(key, h, 3, new Uint8Array(5), true)), 'TAMPERED')).message).toBe('StreamOpener.next: data after the final chunk');
    const o2 = new StreamOpener(key, h);
    await expectCode(() => o2.next(sealChunk(key, h, 1, new Uint8Array(MIN_CHUNK_SIZE), false)), 'TAMPERED');
  });
});

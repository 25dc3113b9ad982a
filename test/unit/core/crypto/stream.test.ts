import { createCipheriv, createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { ready, sodium } from '../../../../core/crypto/sodium.js';
import { randomKey } from '../../../../core/crypto/keys.js';
import { MIN_CHUNK_SIZE, newStreamHeader, openChunk, parseStreamHeader, sealChunk, StreamOpener, chunkNonce } from '../../../../core/crypto/stream.js';
import type { FileKey } from '../../../../core/crypto/key-types.js';
import { expectCode } from '../helpers.js';

const CS = MIN_CHUNK_SIZE;

function makeStream(key: FileKey, sizes: number[]) {
  const header = newStreamHeader(key, CS);
  const plain = sizes.map((n, i) => new Uint8Array(n).fill(i + 1));
  const sealed = plain.map((p, i) => sealChunk(key, header, i, p, i === sizes.length - 1));
  return { header, plain, sealed };
}

function readAll(key: FileKey, header: ReturnType<typeof newStreamHeader>, chunks: Uint8Array[]) {
  const o = new StreamOpener(key, header);
  const out = chunks.map((c) => o.next(c));
  o.finish();
  return out;
}

describe('stream (STREAM over XChaCha20-Poly1305)', () => {
  let key: FileKey;
  beforeAll(async () => { await ready(); key = randomKey<FileKey>(); });

  it('round-trips sequentially and by index, 16 bytes overhead per chunk', () => {
    const { header, plain, sealed } = makeStream(key, [CS, CS, 123]);
    expect(sealed.map((s) => s.length)).toEqual([CS + 16, CS + 16, 139]);
    expect(readAll(key, header, sealed)).toEqual(plain);
    expect(openChunk(key, parseStreamHeader(header.bytes), 1, sealed[1]!, false)).toEqual(plain[1]);
  });

  it('a full-size final chunk and an empty file work', () => {
    const a = makeStream(key, [CS, CS]);
    expect(readAll(key, a.header, a.sealed)).toEqual(a.plain);
    const b = makeStream(key, [0]);
    expect(readAll(key, b.header, b.sealed)).toEqual([new Uint8Array(0)]);
  });

  it('flip, reorder, duplicate → TAMPERED; drop tail → TRUNCATED; wrong key → WRONG_KEY', async () => {
    const { header, sealed } = makeStream(key, [CS, CS, CS, 10]);
    const flipped = sealed.map((s) => s.slice());
    flipped[1]![7]! ^= 1;
    await expectCode(() => readAll(key, header, flipped), 'TAMPERED');
    await expectCode(() => readAll(key, header, [sealed[0]!, sealed[2]!, sealed[1]!, sealed[3]!]), 'TAMPERED');
    await expectCode(() => readAll(key, header, [sealed[0]!, sealed[0]!, sealed[1]!, sealed[2]!, sealed[3]!]), 'TAMPERED');
    await expectCode(() => readAll(key, header, sealed.slice(0, 3)), 'TRUNCATED');
    await expectCode(() => readAll(key, header, [...sealed, sealed[3]!]), 'TAMPERED');
    await expectCode(() => readAll(randomKey<FileKey>(), header, sealed), 'WRONG_KEY');
    await expectCode(() => openChunk(key, header, 2, sealed[2]!, true), 'TAMPERED'); // last flag missing
    await expectCode(() => openChunk(key, header, 3, sealed[3]!.subarray(0, 20), true), 'TAMPERED');
  });

  it('rejects bad headers and chunk sizes with BAD_FORMAT', async () => {
    await expectCode(() => newStreamHeader(key, 1000), 'BAD_FORMAT');
    const h = newStreamHeader(key, CS).bytes.slice();
    h[0] = 9;
    await expectCode(() => parseStreamHeader(h), 'BAD_FORMAT');
    await expectCode(() => parseStreamHeader(h.subarray(0, 39)), 'BAD_FORMAT');
  });

  it('native HChaCha20 + node:crypto chacha20-poly1305 produce identical bytes', () => {
    const { header, plain, sealed } = makeStream(key, [CS, 777]);
    const s = sodium();
    const subkey = s.crypto_core_hchacha20(header.prefix.subarray(0, 16), key, null);
    plain.forEach((p, i) => {
      const nonce = chunkNonce(header, i, i === plain.length - 1);
      const n12 = new Uint8Array(12);
      n12.set(nonce.subarray(16), 4);
      const c = createCipheriv('chacha20-poly1305', subkey, n12, { authTagLength: 16 });
      const out = Buffer.concat([c.update(p), c.final(), c.getAuthTag()]);
      expect(createHash('sha256').update(out).digest('hex')).toBe(createHash('sha256').update(sealed[i]!).digest('hex'));
    });
  });
});

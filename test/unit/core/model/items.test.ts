import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { newId, type ItemId, type ShareId } from '../../../../core/ids.js';
import { sealNote, openNote, type NoteContent } from '../../../../core/model/note.js';
import { openTombstone, sealTombstone, parseRecordEnvelope, type RecordEnvelope } from '../../../../core/model/item.js';
import { importFile, openFileChunk, openFileRecord, readFileStream } from '../../../../core/model/file.js';
import { newShareKey } from '../../../../core/model/share-keys.js';
import { MIN_CHUNK_SIZE } from '../../../../core/crypto/stream.js';
import { fromB64url, toB64url } from '../../../../core/encoding.js';
import { asAsync, expectCode, generatedBytes, setup } from '../helpers.js';
import type { B64Ciphertext } from '../../../../core/model/record.js';

const note: NoteContent = { title: 'Mandant Müller', body: 'Steuerbescheid 2025 🙂', tags: ['tax'], updatedAt: 1_700_000_000_000 };

describe('notes', () => {
  let f: Awaited<ReturnType<typeof setup>>;
  beforeAll(async () => { f = await setup(); });

  it('seals and opens; the envelope has the protocol shape', async () => {
    const env = sealNote(f.seal(), note);
    expect(parseRecordEnvelope(JSON.parse(JSON.stringify(env)))).toEqual(env);
    expect(env.kind).toBe('note');
    expect(env.chunks).toEqual([]);
    const opened = await openNote(f.open(), env);
    expect(opened.note).toEqual(note);
    expect(opened.author).toEqual(f.author);
  });

  it('every alteration fails with a specific code', async () => {
    const env = sealNote(f.seal({ version: 3, baseVersion: 2 }), note);
    const body = fromB64url(env.body);
    body[body.length - 5]! ^= 1;
    // body altered → signature breaks first
    await expectCode(() => openNote(f.open(), { ...env, body: toB64url(body) as B64Ciphertext }), 'BAD_SIGNATURE');
    // fields altered (version replay, item move)
    await expectCode(() => openNote(f.open(), { ...env, version: 4 }), 'BAD_SIGNATURE');
    await expectCode(() => openNote(f.open(), { ...env, item: newId<ItemId>() }), 'BAD_SIGNATURE');
    // moved to another share → different signed context
    await expectCode(() => openNote(f.open({ share: newId<ShareId>() }), env), 'BAD_SIGNATURE');
    // unknown author
    await expectCode(() => openNote(f.open(), { ...env, author: { kind: 'account', id: newId() } }), 'UNKNOWN_AUTHOR');
    // wrong share key for the epoch
    await expectCode(() => openNote(f.open({}, { 0: newShareKey() }), env), 'WRONG_KEY');
    // wrong kind
    await expectCode(() => openTombstone(f.open(), env), 'BAD_FORMAT');
    // malformed envelope from the wire
    await expectCode(() => parseRecordEnvelope({ ...env, sig: 'x' }), 'BAD_FORMAT');
  });

  it('a correctly signed record whose ciphertext was altered is TAMPERED (AD binding)', async () => {
    // an author re-signing a body that was sealed for another item: signature ok, AD fails
    const env = sealNote(f.seal(), note);
    const other = sealNote(f.seal(), note);
    const { signRecord } = await import('../../../../core/model/record.js');
    const { sig: _s, ...unsigned } = other;
    const moved = signRecord({ team: f.team, share: f.share }, { ...unsigned, body: env.body }, f.signer.secretKey);
    await expectCode(() => openNote(f.open(), moved), 'TAMPERED');
  });

  it('tombstones are signed too', async () => {
    const t = sealTombstone(f.seal({ version: 2, baseVersion: 1 }), 42);
    expect((await openTombstone(f.open(), t)).deletedAt).toBe(42);
    await expectCode(() => openTombstone(f.open(), { ...t, epoch: 1 }), 'BAD_SIGNATURE');
  });

  it('rejects bad content and contexts', async () => {
    await expectCode(() => sealNote(f.seal(), { ...note, tags: 'x' } as unknown as NoteContent), 'BAD_FORMAT');
    await expectCode(() => sealNote(f.seal({ version: 1, baseVersion: 1 }), note), 'BAD_FORMAT');
  });
});

describe('files', () => {
  let f: Awaited<ReturnType<typeof setup>>;
  beforeAll(async () => { f = await setup(); });

  async function importBytes(total: number, chunkSize = MIN_CHUNK_SIZE) {
    const chunks = new Map<string, Uint8Array>();
    const src = new ReadableStream<Uint8Array>({
      start(c) { for (const p of generatedBytes(total, 50_000)) c.enqueue(p); c.close(); },
    });
    const res = await importFile(f.seal(), src, { name: 'Bilanz.pdf', mime: 'application/pdf', updatedAt: 1, chunkSize }, (ch) => { chunks.set(ch.hash, ch.bytes); });
    return { ...res, chunks };
  }

  it('imports, lists chunk hashes, opens any chunk by index alone', async () => {
    const total = MIN_CHUNK_SIZE * 3 + 1000;
    const { envelope, meta, chunks } = await importBytes(total);
    expect(meta.size).toBe(total);
    expect(envelope.chunks).toHaveLength(4);
    expect(meta.chunks.map((c) => c.size)).toEqual([MIN_CHUNK_SIZE + 16, MIN_CHUNK_SIZE + 16, MIN_CHUNK_SIZE + 16, 1016]);
    for (const h of envelope.chunks) expect(h).toBe(createHash('sha256').update(chunks.get(h)!).digest('base64url'));
    const opened = await openFileRecord(f.open(), envelope);
    expect(opened.meta.name).toBe('Bilanz.pdf');
    const expected = new Uint8Array(total);
    let off = 0;
    for (const p of generatedBytes(total, 50_000)) { expected.set(p, off); off += p.length; }
    const c2 = openFileChunk(opened, 2, chunks.get(envelope.chunks[2]!)!);
    expect(c2).toEqual(expected.subarray(2 * MIN_CHUNK_SIZE, 3 * MIN_CHUNK_SIZE));
    // swapped chunk / tampered chunk / out of range
    await expectCode(() => openFileChunk(opened, 1, chunks.get(envelope.chunks[2]!)!), 'TAMPERED');
    const bad = chunks.get(envelope.chunks[3]!)!.slice(); bad[0]! ^= 1;
    await expectCode(() => openFileChunk(opened, 3, bad), 'TAMPERED');
    await expectCode(() => openFileChunk(opened, 9, bad), 'NOT_FOUND');
  });

  it('envelope chunk list must match the signed record (drop/reorder → BAD_SIGNATURE)', async () => {
    const { envelope } = await importBytes(MIN_CHUNK_SIZE * 2 + 5);
    await expectCode(() => openFileRecord(f.open(), { ...envelope, chunks: envelope.chunks.slice(0, 2) } as RecordEnvelope), 'BAD_SIGNATURE');
    await expectCode(() => openFileRecord(f.open(), { ...envelope, chunks: [...envelope.chunks].reverse() } as RecordEnvelope), 'BAD_SIGNATURE');
  });

  it('streams a 64 MiB generated file through import and read; hashes match', async () => {
    const total = 64 * 1024 * 1024;
    const want = createHash('sha256');
    for (const p of generatedBytes(total, 1 << 20, 7)) want.update(p);
    const store = new Map<string, Uint8Array>();
    const { envelope } = await importFile(f.seal(), asAsync(generatedBytes(total, 1 << 20, 7)), { name: 'big.bin', mime: 'application/octet-stream', updatedAt: 1 }, (c) => { store.set(c.hash, c.bytes); });
    expect(envelope.chunks).toHaveLength(64);
    const opened = await openFileRecord(f.open(), envelope);
    const got = createHash('sha256');
    let n = 0;
    const stream = readFileStream(opened, async (_i, h) => store.get(h)!);
    for await (const p of stream as unknown as AsyncIterable<Uint8Array>) { got.update(p); n += p.length; }
    expect(n).toBe(total);
    expect(got.digest('hex')).toBe(want.digest('hex'));
  });
});

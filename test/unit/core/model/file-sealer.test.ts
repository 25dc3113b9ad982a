/**
 * File sealing off the UI thread (issue 19): workerSealer against the Worker's real job
 * (file-seal-job.ts) run in this process behind a WorkerLike, compared byte for byte with the
 * inline sealer; pacing, failures, the fallback when no Worker starts, key wiping; rechunk's
 * buffer reuse.
 */
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomKey } from '../../../../core/crypto/keys.js';
import { MIN_CHUNK_SIZE, newStreamHeader } from '../../../../core/crypto/stream.js';
import type { FileKey } from '../../../../core/crypto/key-types.js';
import type { WorkerLike } from '../../../../core/crypto/kdf-runner.js';
import { rechunk } from '../../../../core/model/chunker.js';
import { MemoryVaultStore } from '../../../../core/store/memory-store.js';
import { importFile, openFileRecord, readFileStream } from '../../../../core/model/file.js';
import { sealRequestHandler, type SealReply, type SealRequest } from '../../../../core/model/file-seal-job.js';
import { inlineSealer, workerSealer, type ChunkSealer, type SealedChunk, type ChunkBytes } from '../../../../core/model/file-sealer.js';
import { expectCode, generatedBytes, setup } from '../helpers.js';

const CS = MIN_CHUNK_SIZE;

/** The Worker's job in this process: messages cross on the microtask queue, as structured clones would. */
class InProcessWorker implements WorkerLike {
  onmessage: ((ev: MessageEvent) => void) | null = null;
  onerror: ((ev: ErrorEvent) => void) | null = null;
  terminated = false;
  /** Chunk answers posted / credit messages received, for the pacing check. */
  chunksPosted = 0;
  keyGiven: Uint8Array | null = null;
  private readonly handle = sealRequestHandler((m: SealReply) => {
    if (this.terminated) return;
    if (m.kind === 'chunk') this.chunksPosted++;
    queueMicrotask(() => { if (!this.terminated) this.onmessage?.({ data: m } as MessageEvent); });
  });
  postMessage(msg: unknown): void {
    const m = msg as SealRequest;
    if (m.kind === 'seal') this.keyGiven = m.key;
    queueMicrotask(() => { if (!this.terminated) this.handle({ data: m }); });
  }
  terminate(): void { this.terminated = true; }
}

function bytesOf(total: number, seed = 3): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(total);
  let off = 0;
  for (const p of generatedBytes(total, 40_000, seed)) { out.set(p, off); off += p.length; }
  return out;
}

async function toBytes(b: ChunkBytes): Promise<Uint8Array> {
  return b instanceof Uint8Array ? b : new Uint8Array(await b.arrayBuffer());
}

async function collect(sealer: ChunkSealer, key: FileKey, header: ReturnType<typeof newStreamHeader>, source: Parameters<ChunkSealer>[2]) {
  const out: { index: number; hash: string; bytes: Uint8Array; size: number; plainSize: number }[] = [];
  for await (const c of sealer(key, header, source)) out.push({ ...c, bytes: await toBytes(c.bytes) });
  return out;
}

const streamOf = (bytes: Uint8Array) => new ReadableStream<Uint8Array>({
  start(c) { for (let o = 0; o < bytes.length; o += 40_000) c.enqueue(bytes.slice(o, o + 40_000)); c.close(); },
});

describe('workerSealer', () => {
  beforeAll(async () => { await setup(); });

  for (const total of [0, 1, CS - 1, CS, CS + 1, Math.floor(3.5 * CS)]) {
    it(`seals ${total} bytes exactly as the inline sealer does, from a Blob and from a stream`, async () => {
      const key = randomKey<FileKey>();
      const header = newStreamHeader(key, CS);
      const plain = bytesOf(total);
      const want = await collect(inlineSealer, key, header, [plain.slice()]);
      expect(want).toHaveLength(Math.max(1, Math.ceil(total / CS)));
      const workers: InProcessWorker[] = [];
      const sealer = workerSealer(() => { const w = new InProcessWorker(); workers.push(w); return w; });
      for (const source of [new Blob([plain]), streamOf(plain)]) {
        const got = await collect(sealer, key, header, source);
        expect(got.map((c) => [c.index, c.hash, c.size, c.plainSize])).toEqual(want.map((c) => [c.index, c.hash, c.size, c.plainSize]));
        for (const [i, c] of got.entries()) {
          expect(c.bytes).toEqual(want[i]!.bytes);
          expect(c.hash).toBe(createHash('sha256').update(c.bytes).digest('base64url'));
        }
      }
      // a Blob of one chunk is sealed inline (a Worker's start costs more); a stream always goes to the Worker
      expect(workers).toHaveLength(total <= CS ? 1 : 2);
      for (const w of workers) {
        expect(w.terminated).toBe(true);
        expect([...w.keyGiven!].every((b) => b === 0)).toBe(true); // the Worker's copy of the file key is zeroed
      }
      expect([...key].some((b) => b !== 0)).toBe(true); // the caller's key is not
    });
  }

  it('a file imported through the Worker opens and reads back byte-identical', async () => {
    const f = await setup();
    const plain = bytesOf(2 * CS + 777, 9);
    const stored = new Map<string, Blob | Uint8Array>();
    const { envelope, meta } = await importFile<ChunkBytes>(f.seal(), new Blob([plain]), { name: 'Akte.pdf', mime: 'application/pdf', updatedAt: 1, chunkSize: CS },
      (ch: SealedChunk<ChunkBytes>) => { stored.set(ch.hash, ch.bytes); }, workerSealer(() => new InProcessWorker()));
    expect(meta.size).toBe(plain.length);
    expect([...stored.values()].every((b) => b instanceof Blob)).toBe(true);
    const opened = await openFileRecord(f.open(), envelope);
    const reader = readFileStream(opened, async (_i, hash) => toBytes(stored.get(hash)!)).getReader();
    const parts: Uint8Array[] = [];
    for (;;) { const r = await reader.read(); if (r.done) break; parts.push(r.value); }
    expect(Buffer.concat(parts)).toEqual(Buffer.from(plain));
  });

  it('seals at most `window` chunks ahead of the consumer', async () => {
    const key = randomKey<FileKey>();
    const w = new InProcessWorker();
    let consumed = 0;
    let maxAhead = 0;
    for await (const _ of workerSealer(() => w, 2)(key, newStreamHeader(key, CS), new Blob([bytesOf(8 * CS)]))) {
      await new Promise((r) => setTimeout(r, 30)); // a slow consumer: the Worker could run far ahead
      maxAhead = Math.max(maxAhead, w.chunksPosted - consumed);
      consumed++;
    }
    expect(consumed).toBe(8);
    expect(maxAhead).toBe(2);
  });

  it('a file that cannot be read midway fails with a clear error, and the Worker ends', async () => {
    class VanishingFile extends Blob {
      override slice(start?: number, end?: number): Blob {
        if ((start ?? 0) > 0) return { arrayBuffer: () => Promise.reject(new DOMException('gone', 'NotReadableError')) } as unknown as Blob;
        return super.slice(start, end);
      }
    }
    const key = randomKey<FileKey>();
    const w = new InProcessWorker();
    const seen: number[] = [];
    const err = await expectCode(async () => {
      for await (const c of workerSealer(() => w)(key, newStreamHeader(key, CS), new VanishingFile([bytesOf(3 * CS)]))) seen.push(c.index);
    }, 'FILE_UNREADABLE');
    expect(err.message).toMatch(/could not be read/);
    expect(seen).toEqual([0]);
    expect(w.terminated).toBe(true);
  });

  it("the Worker's own error codes pass through: a malformed stream header is BAD_FORMAT, not an unreadable file", async () => {
    const key = randomKey<FileKey>();
    const header = { ...newStreamHeader(key, CS), bytes: new Uint8Array(40) }; // version 0: not a header
    const err = await expectCode(() => collect(workerSealer(() => new InProcessWorker()), key, header, new Blob([bytesOf(CS + 10)])), 'BAD_FORMAT');
    expect(err.message).toMatch(/version/);
  });

  it('a malformed chunk answer (size not that of its Blob) is refused', async () => {
    const key = randomKey<FileKey>();
    const w = new InProcessWorker();
    const lying = Object.assign(w, {
      postMessage(msg: unknown) {
        if ((msg as SealRequest).kind !== 'seal') return;
        queueMicrotask(() => w.onmessage?.({ data: { kind: 'chunk', index: 0, hash: 'x'.repeat(43), bytes: new Blob([new Uint8Array(10)]), size: 26, plainSize: 10 } satisfies SealReply } as MessageEvent));
      },
    });
    const err = await expectCode(() => collect(workerSealer(() => lying), key, newStreamHeader(key, CS), new Blob([bytesOf(CS + 10)])), 'INTERNAL');
    expect(err.message).toMatch(/malformed chunk/);
    expect(w.terminated).toBe(true);
  });

  it('a consumer that stops early ends the Worker', async () => {
    const key = randomKey<FileKey>();
    const w = new InProcessWorker();
    await expect((async () => {
      for await (const c of workerSealer(() => w)(key, newStreamHeader(key, CS), new Blob([bytesOf(6 * CS)]))) if (c.index === 1) throw new Error('disk full');
    })()).rejects.toThrow('disk full');
    expect(w.terminated).toBe(true);
    expect(w.chunksPosted).toBeLessThan(6);
  });

  it('a Worker that cannot start leaves a Blob to the inline sealer (same bytes); one that dies midway is an error', async () => {
    const key = randomKey<FileKey>();
    const header = newStreamHeader(key, CS);
    const plain = bytesOf(2 * CS + 5);
    const want = await collect(inlineSealer, key, header, [plain.slice()]);
    const broken: WorkerLike = {
      onmessage: null, onerror: null, terminate() {},
      postMessage() { queueMicrotask(() => this.onerror?.({ message: 'script blocked' } as ErrorEvent)); },
    };
    const got = await collect(workerSealer(() => broken), key, header, new Blob([plain]));
    expect(got.map((c) => c.hash)).toEqual(want.map((c) => c.hash));
    // a Worker that answered once and then fails
    const w = new InProcessWorker();
    const dying = Object.assign(w, {
      postMessage(msg: unknown) { InProcessWorker.prototype.postMessage.call(w, msg); if ((msg as SealRequest).kind === 'credit') queueMicrotask(() => w.onerror?.({ message: 'out of memory' } as ErrorEvent)); },
    });
    const err = await expectCode(() => collect(workerSealer(() => dying), key, header, new Blob([plain])), 'INTERNAL');
    expect(err.message).toMatch(/out of memory/);
  });

  it('a Blob of one chunk is sealed inline, without a Worker; one byte more goes to the Worker', async () => {
    const key = randomKey<FileKey>();
    const header = newStreamHeader(key, CS);
    let spawned = 0;
    const sealer = workerSealer(() => { spawned++; return new InProcessWorker(); });
    expect(await collect(sealer, key, header, new Blob([bytesOf(CS)]))).toHaveLength(1);
    expect(spawned).toBe(0);
    expect(await collect(sealer, key, header, new Blob([bytesOf(CS + 1)]))).toHaveLength(2);
    expect(spawned).toBe(1);
  });

  it('a one-chunk file that can no longer be read (sealed inline) fails FILE_UNREADABLE, as in the Worker', async () => {
    const gone = () => new DOMException('gone', 'NotReadableError');
    class VanishedFile extends Blob {
      override stream(): ReadableStream<Uint8Array<ArrayBuffer>> { return new ReadableStream({ pull(c) { c.error(gone()); } }); }
      override slice(): Blob { return { arrayBuffer: () => Promise.reject(gone()) } as unknown as Blob; }
    }
    const key = randomKey<FileKey>();
    const err = await expectCode(() => collect(workerSealer(() => { throw new Error('no Worker for one chunk'); }), key, newStreamHeader(key, CS), new VanishedFile([bytesOf(1000)])), 'FILE_UNREADABLE');
    expect(err.message).toMatch(/could not be read/);
  });

  it('a source that is neither a Blob nor a stream is sealed inline', async () => {
    const key = randomKey<FileKey>();
    const header = newStreamHeader(key, CS);
    let spawned = 0;
    const got = await collect(workerSealer(() => { spawned++; return new InProcessWorker(); }), key, header, [bytesOf(CS + 3)]);
    expect(got).toHaveLength(2);
    expect(spawned).toBe(0);
  });
});

describe('rechunk with reuse', () => {
  it('yields the same chunks through two buffers and zeroes them at the end', async () => {
    const plain = bytesOf(5 * CS + 10);
    const plainChunks: Uint8Array[] = [];
    for await (const { bytes } of rechunk(streamOf(plain), CS)) plainChunks.push(bytes);
    const buffers = new Set<ArrayBufferLike>();
    const seen: Uint8Array[] = [];
    for await (const { bytes, last } of rechunk(streamOf(plain), CS, true)) {
      seen.push(bytes.slice());
      if (!last) buffers.add(bytes.buffer);
      if (!last) var held = bytes; // eslint-disable-line no-var
    }
    expect(seen).toEqual(plainChunks);
    expect(buffers.size).toBe(2);
    expect([...held!].every((b) => b === 0)).toBe(true);
  });
});

describe('a chunk sealed in the Worker (a Blob) in the memory store of a guest session', () => {
  it('is read back as its bytes', async () => {
    const store = new MemoryVaultStore();
    const bytes = bytesOf(1000, 5);
    await store.putChunk('s' as never, 'h1', new Blob([bytes]));
    expect(await store.getChunk('h1')).toEqual(bytes);
  });
});

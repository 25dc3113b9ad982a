/**
 * Where a file's chunks are sealed (DESIGN.md §2, §3). `inlineSealer` seals on the calling thread
 * (Node, and sources that are neither a Blob nor a ReadableStream). `workerSealer` hands the file
 * (a Blob, read by the Worker itself, or a transferred ReadableStream) to a Worker
 * (file-seal-worker.ts, file-seal-job.ts) that cuts, seals (crypto/stream.ts) and hashes (WebCrypto) every chunk and
 * answers with a Blob of the ciphertext: the UI thread neither seals, hashes nor copies chunk
 * bytes, and the Blob goes to IndexedDB and the WebSocket by reference.
 * Chunks arrive in order; the Worker runs at most `window` chunks ahead of the consumer.
 */
import { toB64url } from '../encoding.js';
import { VAULT_ERROR_CODES, VaultError, type VaultErrorCode } from '../errors.js';
import { sha256Async } from '../crypto/hash.js';
import { sealChunk, type StreamHeader } from '../crypto/stream.js';
import { wipe } from '../crypto/wipe.js';
import type { FileKey } from '../crypto/key-types.js';
import type { WorkerLike } from '../crypto/kdf-runner.js';
import { blobChunks, rechunk, unreadableAsVaultError, type ByteSource } from './chunker.js';
import type { SealReply, SealRequest } from './file-seal-job.js';

/** Ciphertext of a chunk: bytes, or a Blob holding them (from the Worker). */
export type ChunkBytes = Uint8Array | Blob;

/** A sealed chunk ready for upload/storage. `hash` = base64url SHA-256 of the ciphertext. */
export interface SealedChunk<B extends ChunkBytes = Uint8Array> {
  index: number;
  hash: string;
  bytes: B;
  /** Ciphertext bytes (plaintext + 16). */
  size: number;
  /** Plaintext bytes in this chunk. */
  plainSize: number;
}

/** The file's plaintext: a byte source, or a Blob (a DOM File), which a Worker can read itself. */
export type SealSource = ByteSource | Blob;

export type ChunkSealer<B extends ChunkBytes = ChunkBytes> = (fileKey: FileKey, header: StreamHeader, source: SealSource) => AsyncIterable<SealedChunk<B>>;

const isBlob = (s: SealSource): s is Blob => typeof Blob !== 'undefined' && s instanceof Blob;

/**
 * On this thread. Chunk i's SHA-256 (native WebCrypto, off this thread) runs while chunk i+1 is
 * sealed. A Blob is read in chunk-sized slices, each zeroed once sealed (as in the Worker); other
 * sources fill two plaintext buffers in turn (rechunk's `reuse`), zeroed at the end.
 */
export const inlineSealer: ChunkSealer<Uint8Array> = async function* inlineSealer(fileKey, header, source) {
  let prev: { chunk: Omit<SealedChunk, 'hash'>; digest: Promise<Uint8Array> } | null = null;
  let index = 0;
  try {
    for await (const { bytes, last } of isBlob(source) ? blobChunks(source, header.chunkSize) : rechunk(source, header.chunkSize, true)) {
      const i = index++;
      const sealed = sealChunk(fileKey, header, i, bytes, last);
      const plainSize = bytes.length;
      if (isBlob(source)) wipe(bytes);
      const digest = sha256Async(sealed);
      digest.catch(() => undefined); // awaited below, or dropped with the generator
      const chunk = { index: i, bytes: sealed, size: sealed.length, plainSize };
      if (prev) yield { ...prev.chunk, hash: toB64url(await prev.digest) };
      prev = { chunk, digest };
    }
  } catch (e) {
    throw unreadableAsVaultError(e);
  }
  if (prev) yield { ...prev.chunk, hash: toB64url(await prev.digest) };
};

/** Chunks the Worker may seal ahead of the consumer (memory: about this many MiB). */
const WINDOW = 4;

/**
 * A Worker per file (made by `spawn`), terminated when the file is sealed, fails, or the consumer
 * stops. A Worker that cannot start (before it answered anything) leaves the file to
 * `inlineSealer`; an error the Worker reports (an unreadable file, …) is thrown as a VaultError.
 */
export function workerSealer(spawn: () => WorkerLike, window = WINDOW): ChunkSealer {
  return async function* sealInWorker(fileKey, header, source) {
    const transferable = isBlob(source) || (typeof ReadableStream !== 'undefined' && source instanceof ReadableStream);
    // A file of one chunk is sealed here: starting a Worker (loading libsodium into it) costs more
    // than sealing 1 MiB (a few ms), and a folder of small documents is thousands of such files.
    if (!transferable || (isBlob(source) && source.size <= header.chunkSize)) {
      yield* inlineSealer(fileKey, header, source);
      return;
    }
    let w: WorkerLike;
    try {
      w = spawn();
    } catch {
      yield* inlineSealer(fileKey, header, source);
      return;
    }
    const queue: (SealReply | { kind: 'failed'; message: string })[] = [];
    let wake: (() => void) | null = null;
    const push = (m: SealReply | { kind: 'failed'; message: string }) => { queue.push(m); wake?.(); wake = null; };
    w.onmessage = (ev) => push(ev.data as SealReply);
    w.onerror = (ev) => { ev.preventDefault?.(); push({ kind: 'failed', message: ev.message || 'failed to start' }); };
    const key = fileKey.slice();
    const stream = isBlob(source) ? null : source as ReadableStream<Uint8Array>;
    try {
      const req: SealRequest = { kind: 'seal', key, header: header.bytes, source: isBlob(source) ? source : stream!, credit: window };
      w.postMessage(req, [key.buffer, ...(stream ? [stream as unknown as Transferable] : [])]);
      let answered = false;
      for (;;) {
        if (queue.length === 0) await new Promise<void>((r) => { wake = r; });
        const m = queue.shift()!;
        if (m.kind === 'failed') {
          if (!answered && !stream) { // the Worker never started: the Blob can still be read here
            w.terminate();
            yield* inlineSealer(fileKey, header, source);
            return;
          }
          throw new VaultError('INTERNAL', `file sealing worker: ${m.message}`);
        }
        answered = true;
        if (m.kind === 'done') return;
        if (m.kind === 'error') throw new VaultError((VAULT_ERROR_CODES as readonly string[]).includes(m.code) ? m.code as VaultErrorCode : 'INTERNAL', `file sealing worker: ${m.message}`);
        if (!(m.bytes instanceof Blob) || m.bytes.size !== m.size) throw new VaultError('INTERNAL', 'file sealing worker: malformed chunk');
        yield { index: m.index, hash: m.hash, bytes: m.bytes, size: m.size, plainSize: m.plainSize };
        w.postMessage({ kind: 'credit', n: 1 } satisfies SealRequest);
      }
    } finally {
      w.terminate();
    }
  };
}

/**
 * The sealer for this environment: a module Worker on file-seal-worker.ts where the platform has
 * Workers (bundled by Vite), inline otherwise.
 */
export function defaultSealer(): ChunkSealer {
  if (typeof Worker === 'undefined') return inlineSealer;
  return workerSealer(() => new Worker(new URL('./file-seal-worker.ts', import.meta.url), { type: 'module', name: 'truhe-seal' }) as WorkerLike);
}

/** Files of a share: streaming import (chunks sealed into the local store, then
 *  uploaded by the outbox) and streaming, verified reads (local chunks first, then the relay). */
import { VaultError } from '../errors.js';
import { newId, parseItemId, parseShareId, type ItemId, type ShareId } from '../ids.js';
import type { RecordEnvelope } from '../model/item.js';
import { importFile as sealFile, openFileRecord, readFileStream, type OpenedFile } from '../model/file.js';
import { wipe } from '../crypto/wipe.js';
import { DEFAULT_LIMITS } from '../../protocol/index.js';
import { chunkFetcher, noteDownload } from '../sync/transfers.js';
import type { FileSource, Progress } from '../vault-api.js';
import { yieldTask } from './yield-task.js';
import type { FileMeta } from '../model/file.js';
import { defaultSealer, type ChunkBytes } from '../model/file-sealer.js';
import type { ImportSlots } from './import-slots.js';
import { versionOf } from './versions.js';
import type { LocalChangeSink, SealingPort, ShareStatePort, VaultParts } from './ports.js';

/** What reading a file takes: its record and chunks (local first, else the relay), its keys; an
 *  older version from the relay's history is checked against the share's membership first. */
export type FileReader = Pick<SealingPort, 'openCtx'> & Pick<ShareStatePort, 'verifyEnvelope'> & Pick<VaultParts, 'store' | 'conn' | 'status' | 'deps'>;

/** What importing a file (or sealing its next version, file-versions.ts) takes. */
export type FileImporter = SealingPort & Pick<LocalChangeSink, 'afterLocalChange'> & Pick<VaultParts, 'store' | 'conn' | 'status' | 'clock' | 'deps'>
  & { readonly importSlots: ImportSlots };

/** How an import (or a replaced version) puts its record into the share's last listing (api.ts importFileListed). */
export interface ImportListing {
  /** Read just before the record is written. */
  writeGen(): number;
  listed(gen: number, envelope: RecordEnvelope, meta: FileMeta): void;
}

/** Plaintext bytes per chunk: the sealed chunk (plus its 16-byte tag) must fit the relay's limit. */
export const FILE_CHUNK_SIZE = DEFAULT_LIMITS.maxChunk - 16;

/** Chunks sent to the relay while the import goes on, before waiting for answers. */
const EAGER_WINDOW = 8;
/** Chunk writes to the local store in flight while the next chunks are sealed. */
const STORE_WINDOW = 4;

/**
 * Import a file: chunks are sealed (model/file.ts), stored locally for offline use and resume,
 * and, while the relay is reachable, sent to it at once from memory, so the upload overlaps the
 * import and never reads a chunk back from the store. The record is queued when the last chunk
 * is sealed; its push (outbox → uploadChunks) asks the relay which chunks it holds and sends
 * only those an eager send did not deliver (offline, a dropped connection, a refused chunk).
 */
export async function importFile(s: FileImporter, shareIn: string, file: FileSource, opts: ImportControl = {}, listing?: ImportListing): Promise<string> {
  const share = parseShareId(shareIn);
  const item = newId<ItemId>();
  const sealed = await sealFileVersion(s, share, item, 1, 0, file, { name: file.name, ...opts });
  const gen = listing?.writeGen();
  try {
    await s.store.putWithOutbox({ share, envelope: sealed.envelope }, { op: 'push', share, item, version: 1 });
  } catch (e) {
    await s.store.deleteChunks(sealed.envelope.chunks).catch(() => undefined); // no record names them
    throw e;
  }
  if (gen !== undefined) listing?.listed(gen, sealed.envelope, sealed.meta);
  sealed.done();
  await s.afterLocalChange(share);
  return item;
}

const cancelled = (name: string) => new VaultError('CANCELLED', `import of ${name} cancelled`);

/** What the caller of an import controls: its progress, and `signal` to cancel it. */
export interface ImportControl {
  onProgress?: Progress;
  /** Called when the file's turn comes (import-slots.ts: a few files are sealed at once, the others wait). */
  onStart?: () => void;
  /** Aborted: the import stops (waiting, or at the next chunk) with CANCELLED. */
  signal?: AbortSignal;
}

/**
 * Seal `file` as version `version` of `item` (the record is returned, not stored): every chunk
 * is stored locally and sent to the relay at once while online (see importFile). Nothing but
 * chunks is written, and a failure midway (cancelled, unreadable file, full disk) deletes the
 * chunks it stored: they are its own (a fresh file key), so the item is left as it was and no
 * ciphertext of it stays on this device; the relay's orphan sweep drops the ones it got. Call
 * `done()` once the record is queued: it reports the upload complete when every eager send went through.
 */
export async function sealFileVersion(
  s: FileImporter, share: ShareId, item: ItemId, version: number, baseVersion: number, file: FileSource,
  opts: ImportControl & { name: string; conflictOf?: string },
): Promise<{ envelope: RecordEnvelope; meta: FileMeta; done(): void }> {
  const release = await s.importSlots.take(opts.signal, () => cancelled(opts.name));
  try {
    opts.onStart?.();
    return await sealInSlot(s, share, item, version, baseVersion, file, opts);
  } finally {
    release();
  }
}

async function sealInSlot(
  s: FileImporter, share: ShareId, item: ItemId, version: number, baseVersion: number, file: FileSource,
  opts: ImportControl & { name: string; conflictOf?: string },
): Promise<{ envelope: RecordEnvelope; meta: FileMeta; done(): void }> {
  const ctx = await s.sealCtx(share, item, version, baseVersion);
  const sending = new Set<Promise<unknown>>();
  // Same key and byte counts (ciphertext) as the outbox's uploadChunks, so the UI sees one upload.
  const progress = `up:${share}:${item}:${version}`;
  const total = file.size + 16 * Math.max(1, Math.ceil(file.size / FILE_CHUNK_SIZE));
  let sent = 0;
  let missed = 0;
  // Progress in steps of 0.5 % at most (every chunk of a small file): a 1 GiB file reports ~200
  // times instead of 1 025, each a UI update on the UI thread.
  const step = total / 200;
  let sentShown = 0;
  let readShown = 0;
  const send = async (hash: string, bytes: ChunkBytes, size: number) => {
    if (s.conn.state !== 'online') return void missed++;
    const p = s.conn.putChunk(share, hash, bytes).then(() => {
      sent += size;
      if (sent - sentShown < step) return;
      sentShown = sent;
      s.status.transfer(progress, { item, direction: 'up', done: Math.min(sent, total - 1), total });
    }, () => { missed++; }); // the outbox push sends it again
    sending.add(p);
    void p.finally(() => sending.delete(p));
    if (sending.size >= EAGER_WINDOW) await Promise.race(sending);
  };
  // Store writes overlap the sealing of the next chunks (a window of them); the first failure
  // fails the import (at the next chunk or at the end), and the record is returned only once
  // every chunk is stored.
  const storing = new Set<Promise<unknown>>();
  const failures: unknown[] = [];
  const stored: string[] = [];
  const store = async (hash: string, bytes: ChunkBytes) => {
    if (failures.length) throw failures[0];
    stored.push(hash); // before the write: a write that fails late may still have landed
    const p = s.store.putChunk(share, hash, bytes).catch((e: unknown) => { failures.push(e); });
    storing.add(p);
    void p.finally(() => storing.delete(p));
    if (storing.size >= STORE_WINDOW) await Promise.race(storing);
    if (failures.length) throw failures[0];
  };
  try {
    const { envelope, meta } = await sealFile<ChunkBytes>(ctx, file.blob ?? file.stream(), {
      name: opts.name, mime: file.type || 'application/octet-stream', updatedAt: s.clock.now(), chunkSize: FILE_CHUNK_SIZE,
      ...(opts.conflictOf ? { conflictOf: opts.conflictOf } : {}),
      onProgress: (done) => {
        if (done - readShown < step && done < file.size) return;
        readShown = done;
        opts.onProgress?.(done, file.size);
      },
    }, async (chunk) => {
      await yieldTask();
      if (opts.signal?.aborted) throw cancelled(opts.name);
      await store(chunk.hash, chunk.bytes);
      await send(chunk.hash, chunk.bytes, chunk.size);
    }, s.deps.sealer ?? defaultSealer());
    await Promise.all(storing);
    if (failures.length) throw failures[0];
    await Promise.all(sending);
    if (opts.signal?.aborted) throw cancelled(opts.name); // after its last chunk: still nothing kept
    return { envelope, meta, done: () => { if (missed === 0) s.status.transfer(progress, { item, direction: 'up', done: total, total }); } }; // else the outbox reports the rest
  } catch (e) {
    await Promise.allSettled([...storing, ...sending]);
    if (stored.length) await s.store.deleteChunks(stored).catch(() => undefined); // best effort: the failure is what the caller hears
    if (sent > 0) s.status.transfer(progress, { item, direction: 'up', done: total, total }); // no bar left hanging
    throw e;
  }
}

/** Chunk sizes (ciphertext bytes) of a file record, for upload progress. */
export async function chunkSizes(s: Pick<SealingPort, 'openCtx'>, share: string, env: Parameters<typeof openFileRecord>[1]): Promise<number[] | undefined> {
  try {
    const f = await openFileRecord(s.openCtx(parseShareId(share)), env);
    wipe(f.fileKey);
    return f.meta.chunks.map((c) => c.size);
  } catch {
    return undefined;
  }
}

/**
 * Stream a file's decrypted content; `version` (default: the current one) reads an older version
 * from the local history or, when online, the relay's. Throws NOT_FOUND (no such file or version).
 */
export function readFile(s: FileReader, shareIn: string, itemIn: string, onProgress?: Progress, version?: number): ReadableStream<Uint8Array> {
  let inner: ReadableStreamDefaultReader<Uint8Array> | null = null;
  let file: OpenedFile | null = null;
  const open = async () => {
    const share = parseShareId(shareIn);
    const item = parseItemId(itemIn);
    const env = await versionOf(s, share, item, version);
    if (!env || env.kind !== 'file') throw new VaultError('NOT_FOUND', `readFile: no file ${itemIn}${version === undefined ? '' : ` v${version}`}`);
    file = await openFileRecord(s.openCtx(share), env);
    const hashes = env.chunks;
    const fetch = chunkFetcher({ store: s.store, conn: s.conn, status: s.status }, share, hashes, { cache: s.deps.cacheDownloads ?? true });
    const key = `down:${share}:${item}`;
    let doneChunks = 0;
    const total = file.meta.size;
    const fetchChunk = async (index: number) => {
      const bytes = await fetch(index);
      doneChunks = index + 1;
      if (doneChunks % 16 === 0 || doneChunks === hashes.length) await noteDownload(s.store, share, item, hashes, doneChunks, total);
      return bytes;
    };
    inner = readFileStream(file, fetchChunk, (done, t) => {
      s.status.transfer(key, { item, direction: 'down', done, total: t });
      onProgress?.(done, t);
    }).getReader();
  };
  const finish = () => {
    if (file) wipe(file.fileKey);
    file = null;
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (!inner) await open();
        const { done, value } = await inner!.read();
        if (done) {
          finish();
          controller.close();
        } else controller.enqueue(value);
      } catch (e) {
        finish();
        controller.error(e instanceof VaultError ? e : new VaultError('INTERNAL', 'readFile: failed', { cause: e }));
      }
    },
    cancel() {
      finish();
      return inner?.cancel();
    },
  }, { highWaterMark: 0 });
}

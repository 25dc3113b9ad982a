/**
 * Chunk transfers (DESIGN.md §3, §5). Upload: ask the relay which chunks it already has
 * (`chunk.has`), send the missing ones from the local store with a few in flight, record
 * progress in the store (PendingTransfer) so an app restart resumes where it stopped.
 * Download: fetch chunk by chunk (local cache first), a few ahead, re-trying a chunk after a
 * dropped connection once the connection is back; the caller verifies every chunk (hash + AEAD
 * in core/model/file.ts) before emitting plaintext. Memory stays at a few chunks.
 */
import { VaultError, isVaultError } from '../errors.js';
import { toB64url } from '../encoding.js';
import { sha256Async } from '../crypto/hash.js';
import type { ItemId, ShareId } from '../ids.js';
import type { RecordEnvelope } from '../model/record.js';
import type { VaultStore } from '../store/vault-store.js';
import type { Connection } from './connection.js';
import { chunkHas } from './relay-api.js';
import type { StatusHub } from './status.js';

/** Chunks sent before waiting for the first answer (pipelining over one socket). */
const UPLOAD_WINDOW = 8;
const DOWNLOAD_AHEAD = 4;

export interface TransferDeps {
  store: VaultStore;
  conn: Connection;
  status: StatusHub;
}

/**
 * Make sure the relay holds every chunk of `env` (a file record), uploading what is missing
 * from the local store. Throws RELAY_UNREACHABLE when the connection drops (the outbox retries
 * later and `chunk.has` skips what already arrived), NOT_FOUND if a chunk is missing locally.
 */
export async function uploadChunks(d: TransferDeps, share: ShareId, env: RecordEnvelope, sizes?: number[]): Promise<void> {
  if (env.chunks.length === 0) return;
  const id = `up:${share}:${env.item}:${env.version}`;
  const has = await chunkHas(d.conn, share, env.chunks);
  const missing = env.chunks.filter((_, i) => !has[i]);
  const sizeOf = (i: number) => sizes?.[i] ?? 0;
  const total = sizes ? sizes.reduce((a, b) => a + b, 0) : env.chunks.length;
  let done = sizes ? env.chunks.reduce((a, _, i) => a + (has[i] ? sizeOf(i) : 0), 0) : env.chunks.length - missing.length;
  const report = () => d.status.transfer(id, { item: env.item, direction: 'up', done, total });
  await d.store.putTransfer({ id, share, item: env.item as ItemId, direction: 'up', hashes: env.chunks, doneChunks: env.chunks.length - missing.length, totalBytes: total });
  report();
  const inflight = new Set<Promise<void>>();
  let failure: unknown = null;
  let doneChunks = env.chunks.length - missing.length;
  for (const hash of missing) {
    if (failure) break;
    const bytes = await d.store.getChunk(hash);
    if (!bytes) throw new VaultError('NOT_FOUND', `uploadChunks: chunk ${hash} of item ${env.item} is not in the local store`);
    const index = env.chunks.indexOf(hash);
    const p: Promise<void> = d.conn.putChunk(share, hash, bytes).then(() => {
      done += sizes ? sizeOf(index) : 1;
      doneChunks++;
      report();
    }, (e: unknown) => { failure ??= e; }).finally(() => inflight.delete(p));
    inflight.add(p);
    if (inflight.size >= UPLOAD_WINDOW) await Promise.race(inflight);
  }
  await Promise.all(inflight);
  if (failure) {
    await d.store.putTransfer({ id, share, item: env.item as ItemId, direction: 'up', hashes: env.chunks, doneChunks, totalBytes: total }).catch(() => undefined);
    throw failure;
  }
  await d.store.deleteTransfer(id);
  d.status.transfer(id, { item: env.item, direction: 'up', done: total, total });
}

/**
 * A chunk fetcher for one file download: local cache first, then the relay; keeps a few
 * requests ahead; after a dropped connection it waits for the connection to come back and
 * asks again (resume), failing only on a terminal error or `maxRetries` consecutive failures.
 */
export function chunkFetcher(d: TransferDeps, share: ShareId, hashes: string[], opts: { cache: boolean; maxRetries?: number }) {
  const ahead = new Map<number, Promise<Uint8Array>>();
  const maxRetries = opts.maxRetries ?? 20;

  async function fetchOne(hash: string): Promise<Uint8Array> {
    const local = await d.store.getChunk(hash);
    if (local) return local;
    for (let attempt = 0; ; attempt++) {
      try {
        const bytes = await d.conn.getChunk(share, hash);
        // Never cache what the relay served under a hash it does not have: one bad answer would
        // otherwise make the file unreadable on this device for good.
        if (toB64url(await sha256Async(bytes)) !== hash) throw new VaultError('TAMPERED', `chunkFetcher: chunk ${hash} does not match its hash`);
        if (opts.cache) await d.store.putChunk(share, hash, bytes);
        return bytes;
      } catch (e) {
        if (!isVaultError(e, 'RELAY_UNREACHABLE') || attempt >= maxRetries) throw e;
        await d.conn.whenOnline(); // rejects with the terminal error if the relay refused us
      }
    }
  }

  return (index: number): Promise<Uint8Array> => {
    for (let i = index; i < Math.min(hashes.length, index + DOWNLOAD_AHEAD); i++) {
      if (!ahead.has(i)) {
        const p = fetchOne(hashes[i]!);
        p.catch(() => undefined); // observed when awaited below
        ahead.set(i, p);
      }
    }
    const p = ahead.get(index)!;
    ahead.delete(index);
    return p;
  };
}

/** Record/clear a pending download so the UI can show it after a restart. */
export async function noteDownload(store: VaultStore, share: ShareId, item: ItemId, hashes: string[], doneChunks: number, totalBytes: number): Promise<void> {
  const id = `down:${share}:${item}`;
  if (doneChunks >= hashes.length) await store.deleteTransfer(id);
  else await store.putTransfer({ id, share, item, direction: 'down', hashes, doneChunks, totalBytes });
}

/**
 * At start: uploads interrupted by a restart show up in the status at once (the outbox resumes
 * them when online); an interrupted download has no reader any more, so it is forgotten (its
 * cached chunks stay and make the next read faster).
 */
export async function restorePendingTransfers(store: VaultStore, status: StatusHub): Promise<void> {
  for (const t of await store.listTransfers()) {
    if (t.direction === 'down') await store.deleteTransfer(t.id);
    else status.transfer(t.id, { item: t.item, direction: 'up', done: Math.floor((t.doneChunks / Math.max(1, t.hashes.length)) * t.totalBytes), total: t.totalBytes });
  }
}

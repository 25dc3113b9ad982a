/**
 * Files: a per-version item key; file key = subkey(item key, 'file-stream'); content cut into
 * chunks sealed with crypto/stream.ts; chunks addressed by SHA-256 of their ciphertext
 * (base64url). The record payload (encrypted, signed) holds name, size, MIME type, the stream
 * header and the ordered chunk list. Import and read both stream: memory stays at about two
 * chunks whatever the file size.
 */
import { z } from 'zod';
import { canonicalBytes } from '../canonical.js';
import { fromB64url, fromUtf8, toB64url } from '../encoding.js';
import { VaultError } from '../errors.js';
import { sha256, sha256Async } from '../crypto/hash.js';
import { deriveSubkey } from '../crypto/kdf.js';
import { randomKey } from '../crypto/keys.js';
import { DEFAULT_CHUNK_SIZE, newStreamHeader, openChunk, parseStreamHeader, type StreamHeader } from '../crypto/stream.js';
import { wipe } from '../crypto/wipe.js';
import type { FileKey, ItemKey } from '../crypto/key-types.js';
import { inlineSealer, type ChunkBytes, type ChunkSealer, type SealedChunk, type SealSource } from './file-sealer.js';
import { openRecord, sealRecord, type OpenContext, type OpenedMeta, type RecordEnvelope, type SealContext } from './item.js';

const b64 = z.string().regex(/^[A-Za-z0-9_-]*$/);
export const fileMetaSchema = z.object({
  name: z.string().min(1).max(1024),
  mime: z.string().max(255),
  /** Plaintext size in bytes. */
  size: z.number().int().nonnegative(),
  updatedAt: z.number().int().nonnegative(),
  /** base64url of the 40-byte stream header. */
  header: b64,
  chunks: z.array(z.object({ hash: b64.length(43), size: z.number().int().nonnegative() })).min(1),
  conflictOf: z.string().optional(),
});
export type FileMeta = z.infer<typeof fileMetaSchema>;

export interface OpenedFile extends OpenedMeta {
  meta: FileMeta;
  /** Held in memory only while the vault is unlocked; wipe() it when done. */
  fileKey: FileKey;
  header: StreamHeader;
}

export type { SealedChunk } from './file-sealer.js';

export interface ImportOptions {
  name: string;
  mime: string;
  updatedAt: number;
  conflictOf?: string;
  /** 64 KiB..1 MiB; default 1 MiB. */
  chunkSize?: number;
  /** Called after each chunk with plaintext bytes done so far. */
  onProgress?: (done: number) => void;
}

function fileKeyOf(itemKey: ItemKey): FileKey {
  return deriveSubkey<FileKey>(itemKey, 'file-stream');
}

/**
 * Stream-encrypt `source` with `sealer` (default: on this thread; file-sealer.ts), handing every
 * sealed chunk to `onChunk` in order (awaited, so a slow store applies back-pressure), then seal
 * and sign the record. Returns the envelope and the (plaintext) metadata. Throws BAD_FORMAT for
 * bad options; errors of `onChunk` and of the sealer propagate.
 */
export async function importFile<B extends ChunkBytes = Uint8Array>(
  c: SealContext, source: SealSource, opts: ImportOptions, onChunk: (chunk: SealedChunk<B>) => Promise<void> | void,
  sealer: ChunkSealer<B> = inlineSealer as unknown as ChunkSealer<B>,
): Promise<{ envelope: RecordEnvelope; meta: FileMeta }> {
  const itemKey = randomKey<ItemKey>();
  const fileKey = fileKeyOf(itemKey);
  try {
    const header = newStreamHeader(fileKey, opts.chunkSize ?? DEFAULT_CHUNK_SIZE);
    const chunks: { hash: string; size: number }[] = [];
    let size = 0;
    for await (const chunk of sealer(fileKey, header, source)) {
      if (chunk.index !== chunks.length) throw new VaultError('INTERNAL', `importFile: chunk ${chunk.index} arrived in place of ${chunks.length}`);
      await onChunk(chunk);
      chunks.push({ hash: chunk.hash, size: chunk.size });
      size += chunk.plainSize;
      opts.onProgress?.(size);
    }
    const meta: FileMeta = { name: opts.name, mime: opts.mime, size, updatedAt: opts.updatedAt, header: toB64url(header.bytes), chunks, conflictOf: opts.conflictOf };
    const parsed = fileMetaSchema.safeParse(meta);
    if (!parsed.success) throw new VaultError('BAD_FORMAT', `importFile: invalid metadata (${parsed.error.issues[0]?.message ?? ''})`);
    const envelope = sealRecord(c, 'file', canonicalBytes(parsed.data), chunks.map((ch) => ch.hash), itemKey);
    return { envelope, meta: parsed.data };
  } finally {
    wipe(itemKey, fileKey);
  }
}

/**
 * Verify and decrypt a file record (not its chunks). Checks that the envelope's public chunk
 * list equals the encrypted one. Throws UNKNOWN_AUTHOR, BAD_SIGNATURE, WRONG_KEY, TAMPERED,
 * BAD_FORMAT.
 */
export async function openFileRecord(c: OpenContext, env: RecordEnvelope): Promise<OpenedFile> {
  const { meta: m, payload, itemKey } = await openRecord(c, env, 'file');
  let json: unknown;
  try {
    json = JSON.parse(fromUtf8(payload));
  } catch (e) {
    throw new VaultError('BAD_FORMAT', 'openFileRecord: payload is not JSON', { cause: e });
  }
  const parsed = fileMetaSchema.safeParse(json);
  if (!parsed.success) throw new VaultError('BAD_FORMAT', 'openFileRecord: payload is not file metadata');
  const meta = parsed.data;
  if (meta.chunks.length !== env.chunks.length || meta.chunks.some((ch, i) => ch.hash !== env.chunks[i])) {
    throw new VaultError('TAMPERED', 'openFileRecord: envelope chunk list differs from the signed record');
  }
  const fileKey = fileKeyOf(itemKey);
  wipe(itemKey);
  return { ...m, meta, fileKey, header: parseStreamHeader(fromB64url(meta.header)) };
}

/**
 * Decrypt chunk `index` alone (seek, resume, any order). Checks the ciphertext's SHA-256
 * against the record first. Throws NOT_FOUND (index out of range), TAMPERED, WRONG_KEY.
 */
export function openFileChunk(file: OpenedFile, index: number, sealed: Uint8Array): Uint8Array {
  return openCheckedChunk(file, index, sealed, sha256(sealed));
}

/** openFileChunk with the hash computed by native WebCrypto (faster for big files). */
export async function openFileChunkAsync(file: OpenedFile, index: number, sealed: Uint8Array): Promise<Uint8Array> {
  return openCheckedChunk(file, index, sealed, await sha256Async(sealed));
}

function openCheckedChunk(file: OpenedFile, index: number, sealed: Uint8Array, digest: Uint8Array): Uint8Array {
  const entry = file.meta.chunks[index];
  if (!entry) throw new VaultError('NOT_FOUND', `openFileChunk: no chunk ${index}`);
  if (toB64url(digest) !== entry.hash) throw new VaultError('TAMPERED', `openFileChunk: chunk ${index} hash mismatch`);
  return openChunk(file.fileKey, file.header, index, sealed, index === file.meta.chunks.length - 1);
}

/**
 * Plaintext stream of a whole file; each chunk is fetched by `fetchChunk(index, hash)` and
 * verified before it is emitted. Errors (TAMPERED, …) error the stream.
 */
export function readFileStream(
  file: OpenedFile, fetchChunk: (index: number, hash: string) => Promise<Uint8Array>, onProgress?: (done: number, total: number) => void,
): ReadableStream<Uint8Array> {
  let index = 0;
  let done = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const entry = file.meta.chunks[index];
      if (!entry) {
        controller.close();
        return;
      }
      const pt = await openFileChunkAsync(file, index, await fetchChunk(index, entry.hash));
      index++;
      done += pt.length;
      onProgress?.(done, file.meta.size);
      controller.enqueue(pt);
    },
  }, { highWaterMark: 1 });
}

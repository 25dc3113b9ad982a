/**
 * Re-cut a byte stream into fixed-size chunks, knowing which chunk is the last one. Holds at
 * most two chunks in memory (one full chunk waiting to learn whether more data follows, one
 * filling), whatever the input size.
 */
import { VaultError } from '../errors.js';

export type ByteSource = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

/** Plaintext chunks of a Blob (a picked or dropped file): slices read one at a time, each a fresh buffer the consumer may wipe. */
export async function* blobChunks(blob: Blob, chunkSize: number): AsyncGenerator<{ bytes: Uint8Array; last: boolean }> {
  const n = Math.max(1, Math.ceil(blob.size / chunkSize));
  for (let i = 0; i < n; i++) {
    const bytes = new Uint8Array(await blob.slice(i * chunkSize, Math.min(blob.size, (i + 1) * chunkSize)).arrayBuffer());
    yield { bytes, last: i === n - 1 };
  }
}

/** A file that can no longer be read (moved, changed or deleted while importing: the browser's NotReadableError) as FILE_UNREADABLE; anything else as it is. */
export function unreadableAsVaultError(e: unknown): unknown {
  return e instanceof Error && e.name === 'NotReadableError'
    ? new VaultError('FILE_UNREADABLE', 'the file could not be read (moved, changed or removed while importing?)', { cause: e })
    : e;
}

async function* iterate(source: ByteSource): AsyncGenerator<Uint8Array> {
  if (typeof (source as ReadableStream<Uint8Array>).getReader === 'function') {
    const reader = (source as ReadableStream<Uint8Array>).getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield value;
      }
    } finally {
      reader.releaseLock();
    }
  } else {
    for await (const piece of source as AsyncIterable<Uint8Array> | Iterable<Uint8Array>) yield piece;
  }
}

/**
 * Yields `{bytes, last}`; every chunk but the last has exactly `chunkSize` bytes. An empty source
 * yields one empty last chunk. `bytes` is a fresh buffer the consumer may keep, unless `reuse`:
 * then it is valid only until the consumer asks for the next chunk, and its memory is filled
 * again (no fresh MiB per chunk for a consumer that seals it at once); those buffers are zeroed
 * when the generator ends.
 */
export async function* rechunk(source: ByteSource, chunkSize: number, reuse = false): AsyncGenerator<{ bytes: Uint8Array; last: boolean }> {
  let pending: Uint8Array | null = null;
  let fill: Uint8Array = new Uint8Array(chunkSize);
  let filled = 0;
  try {
    for await (const piece of iterate(source)) {
      let off = 0;
      while (off < piece.length) {
        if (filled === chunkSize) {
          let free: Uint8Array | null = null;
          if (pending) {
            yield { bytes: pending, last: false };
            if (reuse) free = pending;
          }
          pending = fill;
          fill = free ?? new Uint8Array(chunkSize);
          filled = 0;
        }
        const n = Math.min(chunkSize - filled, piece.length - off);
        fill.set(piece.subarray(off, off + n), filled);
        filled += n;
        off += n;
      }
    }
    if (filled === chunkSize) {
      if (pending) yield { bytes: pending, last: false };
      yield { bytes: fill, last: true };
    } else if (pending && filled === 0) {
      yield { bytes: pending, last: true };
    } else {
      if (pending) yield { bytes: pending, last: false };
      yield { bytes: fill.slice(0, filled), last: true };
    }
  } finally {
    if (reuse) for (const b of [pending, fill]) b?.fill(0); // the only two buffers, with the plaintext they held last
  }
}

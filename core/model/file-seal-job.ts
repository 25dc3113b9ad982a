/**
 * What the file-sealing Worker does (file-seal-worker.ts wires it to the Worker's messages;
 * file-sealer.ts workerSealer is the other side). It reads the file itself (Blob slices, or a
 * transferred stream), seals each chunk (crypto/stream.ts), hashes it (WebCrypto) and answers
 * with a Blob of the ciphertext, at most `credit` chunks ahead of the consumer. The file key
 * it was given is zeroed when the job ends, however it ends.
 *
 * In:  {kind:'seal', key, header, source, credit} once, then {kind:'credit', n} per chunk consumed
 * Out: {kind:'chunk', index, hash, bytes: Blob, size, plainSize} per chunk, in order, then
 *      {kind:'done'} | {kind:'error', code, message}
 */
import { toB64url } from '../encoding.js';
import { isVaultError } from '../errors.js';
import { sha256Async } from '../crypto/hash.js';
import { parseStreamHeader, sealChunk } from '../crypto/stream.js';
import { ready } from '../crypto/sodium.js';
import { wipe } from '../crypto/wipe.js';
import type { FileKey } from '../crypto/key-types.js';
import { blobChunks, rechunk, unreadableAsVaultError } from './chunker.js';

export type SealRequest =
  | { kind: 'seal'; key: Uint8Array; header: Uint8Array; source: Blob | ReadableStream<Uint8Array>; credit: number }
  | { kind: 'credit'; n: number };
export type SealReply =
  | { kind: 'chunk'; index: number; hash: string; bytes: Blob; size: number; plainSize: number }
  | { kind: 'done' }
  | { kind: 'error'; code: string; message: string };

/** The Worker's message handler: one `seal` job, paced by `credit` messages; answers through `post`. */
export function sealRequestHandler(post: (m: SealReply) => void): (ev: { data: SealRequest }) => void {
  let credit = 0;
  let wake: (() => void) | null = null;
  const loaded = ready();

  async function seal(req: Extract<SealRequest, { kind: 'seal' }>): Promise<void> {
    const key = req.key as FileKey;
    try {
      await loaded;
      const header = parseStreamHeader(req.header);
      const chunks = req.source instanceof Blob ? blobChunks(req.source, header.chunkSize) : rechunk(req.source, header.chunkSize, true);
      let index = 0;
      for await (const { bytes, last } of chunks) {
        while (credit <= 0) await new Promise<void>((r) => { wake = r; });
        credit--;
        const i = index++;
        const sealed = sealChunk(key, header, i, bytes, last);
        const plainSize = bytes.length;
        if (req.source instanceof Blob) wipe(bytes); // rechunk zeroes its own buffers at the end
        const hash = toB64url(await sha256Async(sealed));
        post({ kind: 'chunk', index: i, hash, bytes: new Blob([sealed as Uint8Array<ArrayBuffer>]), size: sealed.length, plainSize });
      }
      post({ kind: 'done' });
    } catch (thrown) {
      const e = unreadableAsVaultError(thrown);
      post({ kind: 'error', code: isVaultError(e) ? e.code : 'INTERNAL', message: e instanceof Error ? e.message : 'failed' });
    } finally {
      wipe(key);
    }
  }

  return (ev) => {
    const m = ev.data;
    if (m.kind === 'credit') {
      credit += m.n;
      wake?.();
      wake = null;
    } else if (m.kind === 'seal') {
      credit = m.credit;
      void seal(m);
    }
  };
}

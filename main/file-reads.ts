/**
 * Files the user picked, read in chunks by opaque handle. Main keeps the path; the renderer
 * gets a handle, the base name, a MIME guess and the size. A handle is forgotten at end of
 * file or on close; unknown handles are refused with NOT_FOUND.
 */
import { open, stat, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { MAX_CHUNK_BYTES } from './ipc-contract.js';
import { IpcError } from './ipc-dispatch.js';
import { mimeType } from './app-protocol-paths.js';
import { newHandle } from './opaque-handle.js';

export interface PickedFileInfo {
  handle: string;
  name: string;
  type: string;
  size: number;
}

export interface FileReads {
  /** Registers paths the user picked in a dialog (only main calls this, never the renderer). */
  register(paths: readonly string[]): Promise<PickedFileInfo[]>;
  /** Next chunk (at most `chunkBytes`); `done` is true on the last one, after which the handle is gone. */
  readChunk(handle: string): Promise<{ bytes: Uint8Array; done: boolean }>;
  close(handle: string): Promise<void>;
  closeAll(): Promise<void>;
  readonly openCount: number;
}

export const MAX_OPEN_FILES = 64;

export function createFileReads(chunkBytes = 256 * 1024): FileReads {
  if (chunkBytes < 1 || chunkBytes > MAX_CHUNK_BYTES) throw new RangeError('createFileReads: chunkBytes out of range');
  const open_ = new Map<string, { fh: FileHandle | null; path: string; position: number }>();

  const take = (handle: string) => {
    const entry = open_.get(handle);
    if (!entry) throw new IpcError('NOT_FOUND', 'no such file handle');
    return entry;
  };
  const close = async (handle: string) => {
    const entry = take(handle);
    open_.delete(handle);
    await entry.fh?.close();
  };

  return {
    async register(paths) {
      if (open_.size + paths.length > MAX_OPEN_FILES) throw new IpcError('TOO_LARGE', `at most ${MAX_OPEN_FILES} files at once`);
      const out: PickedFileInfo[] = [];
      for (const path of paths) {
        const st = await stat(path);
        if (!st.isFile()) throw new IpcError('BAD_FORMAT', 'not a regular file');
        const handle = newHandle();
        open_.set(handle, { fh: null, path, position: 0 });
        const name = basename(path).slice(0, 255);
        out.push({ handle, name, type: mimeType(name), size: st.size });
      }
      return out;
    },
    async readChunk(handle) {
      const entry = take(handle);
      entry.fh ??= await open(entry.path, 'r');
      const buf = new Uint8Array(chunkBytes);
      const { bytesRead } = await entry.fh.read(buf, 0, chunkBytes, entry.position);
      entry.position += bytesRead;
      const done = bytesRead < chunkBytes;
      if (done) await close(handle);
      return { bytes: buf.subarray(0, bytesRead), done };
    },
    close,
    async closeAll() {
      await Promise.allSettled([...open_.keys()].map(close));
    },
    get openCount() {
      return open_.size;
    },
  };
}

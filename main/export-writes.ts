/**
 * Decrypted exports written where the user chose in a save dialog (R6: plaintext reaches disk
 * only by explicit export). Bytes go to `<target>.truhe-part` (created exclusively, mode 0600)
 * and are renamed over the target on commit; on abort the partial file is deleted.
 */
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { IpcError } from './ipc-dispatch.js';
import { newHandle } from './opaque-handle.js';

export const PART_SUFFIX = '.truhe-part';
export const MAX_OPEN_EXPORTS = 8;

export interface ExportWrites {
  /** Starts an export to `target` (a path from the save dialog; never from the renderer). */
  begin(target: string): Promise<string>;
  write(handle: string, bytes: Uint8Array): Promise<void>;
  end(handle: string, commit: boolean): Promise<void>;
  abortAll(): Promise<void>;
  readonly openCount: number;
}

/** Makes a renderer-suggested file name safe for a save dialog's default: no directories, no control characters. */
export function safeFileName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const cleaned = name.replace(/[\u0000-\u001f\u007f/\\:*?"<>|]/g, '_').replace(/^[.\s]+/, '').trim().slice(0, 200);
  return cleaned.length > 0 ? cleaned : 'export';
}

export function createExportWrites(): ExportWrites {
  const open_ = new Map<string, { fh: FileHandle; target: string }>();
  const take = (handle: string) => {
    const entry = open_.get(handle);
    if (!entry) throw new IpcError('NOT_FOUND', 'no such export handle');
    return entry;
  };
  const end = async (handle: string, commit: boolean) => {
    const entry = take(handle);
    open_.delete(handle);
    const part = entry.target + PART_SUFFIX;
    await entry.fh.close();
    if (commit) await rename(part, entry.target);
    else await unlink(part).catch(() => undefined);
  };
  return {
    async begin(target) {
      if (open_.size >= MAX_OPEN_EXPORTS) throw new IpcError('TOO_LARGE', `at most ${MAX_OPEN_EXPORTS} exports at once`);
      const fh = await open(target + PART_SUFFIX, 'wx', 0o600);
      const handle = newHandle();
      open_.set(handle, { fh, target });
      return handle;
    },
    async write(handle, bytes) {
      const entry = take(handle);
      await entry.fh.write(bytes);
    },
    end,
    async abortAll() {
      await Promise.allSettled([...open_.keys()].map((h) => end(h, false)));
    },
    get openCount() {
      return open_.size;
    },
  };
}

/**
 * "Replace with new version…": a file item's next version with new content (issue 17). Same
 * path as an import (chunks sealed, stored, sent while sealing; one record queued at the end),
 * so a failure midway writes no record and the old version stays current. Like the note editor's
 * save (note-edit.ts), the write names the version it started from (`base`):
 *   head still the base (or the same content)  → the new version goes on top;
 *   head replaced elsewhere meanwhile           → the head stays and the new content becomes a
 *                                                 conflicted copy (a new file item);
 *   head deleted elsewhere                      → a conflicted copy as well.
 * A replace that races another device's on the relay is settled by the push's rebase
 * (rebase.ts: both versions stay in the history, the later one ends as head).
 */
import { canonicalBytes } from '../canonical.js';
import { fromUtf8 } from '../encoding.js';
import { VaultError, isVaultError } from '../errors.js';
import { newId, parseItemId, parseShareId, type ItemId, type ShareId } from '../ids.js';
import { wipe } from '../crypto/wipe.js';
import { fileMetaSchema, openFileRecord, type FileMeta } from '../model/file.js';
import { openRecord, sealRecord, type RecordEnvelope } from '../model/item.js';
import type { FileReplaced, FileSource, Progress } from '../vault-api.js';
import { sealFileVersion, type FileImporter, type ImportControl, type ImportListing } from './files.js';

/** "report.pdf" → "report (conflicted copy 2026-12-07 16:40).pdf" (UTC, as conflictedCopyTitle). */
export function conflictedCopyName(name: string, at: number): string {
  const d = new Date(at);
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  const dot = name.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  return `${stem} (conflicted copy ${stamp})${ext}`;
}

/** Re-seal a file record's exact chunks (same item key) as `item`/`version`, with changed metadata. */
async function resealFile(s: FileImporter, share: ShareId, env: RecordEnvelope, item: ItemId, version: number, baseVersion: number, patch: Partial<FileMeta>): Promise<RecordEnvelope> {
  const { payload, itemKey } = await openRecord(s.openCtx(share), env, 'file');
  try {
    const meta = fileMetaSchema.parse(JSON.parse(fromUtf8(payload)));
    return sealRecord(await s.sealCtx(share, item, version, baseVersion), 'file', canonicalBytes({ ...meta, ...patch }), env.chunks, itemKey);
  } finally {
    wipe(itemKey, payload);
  }
}

/** True when `version` of the item (local head or history) holds exactly these chunks. */
async function sameContentAs(s: FileImporter, share: ShareId, item: ItemId, version: number, chunks: string[]): Promise<boolean> {
  const all = [...(await s.store.history(share, item)), await s.store.getRecord(share, item)];
  const at = all.find((r) => r?.envelope.version === version);
  return !!at && at.envelope.chunks.length === chunks.length && at.envelope.chunks.every((c, i) => c === chunks[i]);
}

/**
 * Write `file`'s content as the next version of file item `item`. `base`: the version the user
 * started from (default: the head when called). The item keeps its name; the MIME type is the new
 * file's. Throws NOT_FOUND if `item` is not a file, READ_ONLY / NOT_ALLOWED without write access;
 * errors of the source stream propagate (nothing is written then). `listing`: the new version
 * replaces the item in the share's last listing (no re-read); a conflicted copy leaves it stale.
 */
export async function replaceFile(s: FileImporter, shareIn: string, itemIn: string, file: FileSource, opts: ImportControl & { base?: number } = {}, listing?: ImportListing): Promise<FileReplaced> {
  const share = parseShareId(shareIn);
  const item = parseItemId(itemIn);
  const start = await s.store.getRecord(share, item);
  if (!start || start.envelope.kind !== 'file') throw new VaultError('NOT_FOUND', `replaceFile: no file ${itemIn}`);
  const base = opts.base ?? start.envelope.version;
  const current = await openFileRecord(s.openCtx(share), start.envelope);
  wipe(current.fileKey);
  const { name, conflictOf } = current.meta;
  const next = start.envelope.version + 1;
  const sealed = await sealFileVersion(s, share, item, next, next - 1, file, { name, conflictOf, onProgress: opts.onProgress, onStart: opts.onStart, signal: opts.signal });
  // The head may have moved while the content was sealed (a pull, a rebase): decide against the
  // head read right before the write; a write that still loses that race is refused (STALE_VERSION).
  for (let attempt = 0; ; attempt++) {
    try {
      const out = await commit(s, share, item, base, sealed.envelope, sealed.meta, listing);
      sealed.done();
      return out;
    } catch (e) {
      if (!isVaultError(e, 'STALE_VERSION') || attempt >= 20) throw e;
    }
  }
}

async function commit(s: FileImporter, share: ShareId, item: ItemId, base: number, mine: RecordEnvelope, meta: FileMeta, listing?: ImportListing): Promise<FileReplaced> {
  const cur = await s.store.getRecord(share, item);
  const moved = !cur || cur.envelope.kind !== 'file' || (cur.envelope.version !== base && !(await sameContentAs(s, share, item, base, cur.envelope.chunks)));
  if (moved) {
    const copy = newId<ItemId>();
    const now = s.clock.now();
    const env = await resealFile(s, share, mine, copy, 1, 0, { name: conflictedCopyName(meta.name, now), updatedAt: now, conflictOf: item });
    await s.store.putWithOutbox({ share, envelope: env }, { op: 'push', share, item: copy, version: 1 });
    s.status.setError(new VaultError('FILE_CONFLICT_COPY', `replaceFile: ${item} was ${cur?.envelope.kind === 'file' ? 'replaced' : 'deleted'} elsewhere; the new content was kept as a conflicted copy`));
    await s.afterLocalChange(share);
    return { item: copy, outcome: 'conflict' };
  }
  const version = cur.envelope.version + 1;
  const env = mine.version === version ? mine : await resealFile(s, share, mine, item, version, version - 1, {});
  const gen = listing?.writeGen();
  await s.store.putWithOutbox({ share, envelope: env }, { op: 'push', share, item, version }, { version: cur.envelope.version, sig: cur.envelope.sig });
  if (gen !== undefined) listing?.listed(gen, env, meta); // a reseal keeps the metadata
  await s.afterLocalChange(share);
  return { item, outcome: 'replaced' };
}

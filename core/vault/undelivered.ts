/**
 * Changes the relay will never take (issue 14): this account lost access to the share (blocked,
 * removed, made read-only) while edits waited in the outbox. They are not left "waiting" forever:
 * the outbox drops their entries (core/sync/outbox.ts), the local versions stay — readable under
 * the keys this device had — and the user is told and can export them decrypted as a ZIP.
 * An undelivered change is a local version never acknowledged (no relay seq) with no outbox entry.
 */
import { Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import { VaultError } from '../errors.js';
import { utf8 } from '../encoding.js';
import type { ItemId, ShareId } from '../ids.js';
import { openFileRecord } from '../model/file.js';
import { openNote } from '../model/note.js';
import { wipe } from '../crypto/wipe.js';
import { readFile, type FileReader } from './files.js';
import type { VaultParts } from './ports.js';

export interface Undelivered {
  share: ShareId;
  item: ItemId;
  kind: 'note' | 'file';
}

export async function listUndelivered(s: Pick<VaultParts, 'store'>): Promise<Undelivered[]> {
  const queued = new Set((await s.store.listOutbox()).map((e) => `${e.share}/${e.item ?? ''}`));
  const out: Undelivered[] = [];
  for (const { share } of await s.store.listSyncStates()) {
    for (const r of await s.store.listRecords(share)) {
      if (r.seq !== undefined || r.envelope.kind === 'tombstone' || queued.has(`${share}/${r.envelope.item}`)) continue;
      out.push({ share, item: r.envelope.item, kind: r.envelope.kind });
    }
  }
  return out;
}

/** Tell the user how many changes will not be delivered (nothing when there are none). */
export async function reportUndelivered(s: Pick<VaultParts, 'store' | 'status'>): Promise<void> {
  const n = (await listUndelivered(s)).length;
  if (n > 0) s.status.setError(new VaultError('NOT_DELIVERED', `sync: ${n} change(s) not delivered: no access to their share any more`), n);
}

function safeName(name: string): string {
  return name.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').slice(0, 150) || 'untitled';
}

/** ZIP of every undelivered change, decrypted (notes as Markdown, files as they are). */
export function exportUndelivered(s: FileReader): ReadableStream<Uint8Array> {
  let zip: Zip;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      zip = new Zip((err, data, final) => {
        if (err) controller.error(new VaultError('INTERNAL', 'exportUndelivered: zip failed', { cause: err }));
        else {
          controller.enqueue(data);
          if (final) controller.close();
        }
      });
      void (async () => {
        try {
          const used = new Set<string>();
          const unique = (p: string) => { let q = p; for (let i = 2; used.has(q); i++) q = p.replace(/(\.[^.]*)?$/, ` (${i})$1`); used.add(q); return q; };
          for (const u of await listUndelivered(s)) {
            const rec = await s.store.getRecord(u.share, u.item);
            if (!rec) continue;
            if (rec.envelope.kind === 'note') {
              const n = (await openNote(s.openCtx(u.share), rec.envelope)).note;
              const f = new ZipDeflate(unique(`${safeName(n.title)}.md`), { level: 6 });
              zip.add(f);
              f.push(utf8(`# ${n.title}\n\n${n.body}\n`), true);
            } else {
              const meta = await openFileRecord(s.openCtx(u.share), rec.envelope);
              wipe(meta.fileKey);
              const f = new ZipPassThrough(unique(safeName(meta.meta.name)));
              zip.add(f);
              const reader = readFile(s, u.share, u.item).getReader();
              for (;;) {
                const { done, value } = await reader.read();
                if (done) break;
                f.push(value);
              }
              f.push(new Uint8Array(0), true);
            }
          }
          zip.end();
        } catch (e) {
          zip.terminate();
          controller.error(e instanceof VaultError ? e : new VaultError('INTERNAL', 'exportUndelivered: failed', { cause: e }));
        }
      })();
    },
  });
}

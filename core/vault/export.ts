/**
 * R15: everything readable, decrypted, as a ZIP (fflate streaming: files are passed through
 * chunk by chunk, never whole in memory) plus manifest.json describing every entry.
 */
import { Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import { VaultError } from '../errors.js';
import { utf8 } from '../encoding.js';
import type { ShareId } from '../ids.js';
import type { Progress } from '../vault-api.js';
import { readFile } from './files.js';
import { listItems, listShares, readNote } from './items.js';
import type { Session } from './session.js';

function safeName(name: string): string {
  return name.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').slice(0, 150) || 'untitled';
}

export function exportAll(s: Session, onProgress?: Progress): ReadableStream<Uint8Array> {
  let zip: Zip;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      zip = new Zip((err, data, final) => {
        if (err) controller.error(new VaultError('INTERNAL', 'exportAll: zip failed', { cause: err }));
        else {
          controller.enqueue(data);
          if (final) controller.close();
        }
      });
      void (async () => {
        try {
          const shares = await listShares(s);
          const manifest: Record<string, unknown>[] = [];
          const used = new Set<string>();
          const unique = (p: string) => { let q = p; for (let i = 2; used.has(q); i++) q = p.replace(/(\.[^.]*)?$/, ` (${i})$1`); used.add(q); return q; };
          const all = await Promise.all(shares.map(async (sh) => ({ sh, items: await listItems(s, sh.id) })));
          const total = all.reduce((a, x) => a + x.items.length, 0);
          let done = 0;
          for (const { sh, items } of all) {
            for (const it of items) {
              const dir = safeName(sh.name);
              if (it.kind === 'note') {
                const n = await readNote(s, sh.id, it.id);
                const path = unique(`${dir}/${safeName(n.title)}.md`);
                const f = new ZipDeflate(path, { level: 6 });
                zip.add(f);
                f.push(utf8(`# ${n.title}\n\n${n.body}\n`), true);
                manifest.push({ path, share: sh.id, shareName: sh.name, item: it.id, kind: 'note', title: n.title, tags: n.tags, version: it.version, updatedAt: it.updatedAt, conflictOf: it.conflictOf ?? null });
              } else {
                const path = unique(`${dir}/${safeName(it.title)}`);
                const f = new ZipPassThrough(path);
                zip.add(f);
                const reader = readFile(s, sh.id as ShareId, it.id).getReader();
                for (;;) {
                  const { done: end, value } = await reader.read();
                  if (end) break;
                  f.push(value);
                }
                f.push(new Uint8Array(0), true);
                manifest.push({ path, share: sh.id, shareName: sh.name, item: it.id, kind: 'file', name: it.title, mime: it.mime, size: it.size, version: it.version, updatedAt: it.updatedAt });
              }
              onProgress?.(++done, total);
            }
          }
          const m = new ZipDeflate('manifest.json', { level: 6 });
          zip.add(m);
          m.push(utf8(JSON.stringify({ format: 'truhe-export/v1', exportedAt: s.clock.now(), team: s.team, account: s.keys.account, items: manifest }, null, 2)), true);
          zip.end();
        } catch (e) {
          zip.terminate();
          controller.error(e instanceof VaultError ? e : new VaultError('INTERNAL', 'exportAll: failed', { cause: e }));
        }
      })();
    },
  });
}

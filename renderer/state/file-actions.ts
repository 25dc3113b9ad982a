/**
 * Files and their versions (issue 17): imports that ask when a file of the same name exists
 * ("Replace with new version" / "Keep both" / "Cancel", once per file or once for all),
 * "Replace with new version…", and showing a version in the history before restoring it.
 * Progress of every encryption shows in the upload list; failures show through the notice slice.
 */
import { isVaultError } from '../../core/errors.js';
import type { ItemSummary } from '../../core/vault-api.js';
import type { PickedFile } from '../platform/platform.js';
import { distinctName, sameNamed } from './file-names.js';
import { lineDiff } from './line-diff.js';
import { askNameClash, type ClashChoice } from './name-clash.js';
import { buildPreview, previewKind, readAll } from './preview-kind.js';
import { useSession } from './session-store.js';
import { guarded, loadItems, vault } from './vault-actions.js';
import { useVaultData, type Upload } from './vault-data.js';
import { closeVersionView, useVersionView } from './version-view.js';

/** What an upload's work gets: its progress bar, its turn (import-slots.ts), its Cancel. */
interface UploadControl { onProgress: (done: number) => void; onStart: () => void; signal: AbortSignal }

let uploadId = 0;
/** The running uploads' cancel switches, by upload id. */
const cancels = new Map<number, AbortController>();

/** The upload list's "Cancel": the import stops at its next chunk and leaves nothing behind (core/vault/files.ts). */
export function cancelUpload(id: number): void {
  cancels.get(id)?.abort();
}

/** "Cancel all" under the upload list: every running and waiting upload. */
export function cancelAllUploads(): void {
  for (const c of cancels.values()) c.abort();
}

/**
 * Runs `work` with a progress bar and a Cancel button in the upload list (removed when it ends,
 * however it ends). A cancelled upload resolves to undefined and shows no error: the user asked for it.
 */
async function withUpload<T>(name: string, size: number, replacing: boolean, work: (control: UploadControl) => Promise<T>): Promise<T | undefined> {
  const id = ++uploadId;
  const ctl = new AbortController();
  cancels.set(id, ctl);
  const update = (patch: Partial<Upload>) => useVaultData.setState((s) => ({ uploads: s.uploads.map((u) => (u.id === id ? { ...u, ...patch } : u)) }));
  useVaultData.setState((s) => ({ uploads: [...s.uploads, { id, name, done: 0, total: size, replacing, waiting: true }] }));
  try {
    return await work({ onProgress: (done) => update({ done }), onStart: () => update({ waiting: false }), signal: ctl.signal });
  } catch (e) {
    if (ctl.signal.aborted && isVaultError(e, 'CANCELLED')) return undefined;
    throw e;
  } finally {
    cancels.delete(id);
    useVaultData.setState((s) => ({ uploads: s.uploads.filter((u) => u.id !== id) }));
  }
}

function renamed(f: PickedFile, name: string): PickedFile {
  return { name, type: f.type, size: f.size, stream: () => f.stream(), ...(f.blob ? { blob: f.blob } : {}) };
}

type Planned = { file: PickedFile; replace?: ItemSummary };

/**
 * What to do with each picked file: a name already used by a file in the share asks the user
 * (per file, or once for all the clashing files of this import). Within one import, a second
 * file of the same name is kept under a distinct name without asking.
 */
async function planImports(share: string, files: PickedFile[]): Promise<Planned[]> {
  const existing = (await vault().listItems(share)).filter((i) => i.kind === 'file');
  const taken = new Set(existing.map((i) => i.title));
  const clashing = files.filter((f) => sameNamed(existing, f.name)).length;
  let asked = 0;
  let forAll: ClashChoice | null = null;
  const plan: Planned[] = [];
  const seen = new Set<string>();
  for (const f of files) {
    const match = sameNamed(existing, f.name);
    if (!match || seen.has(f.name)) {
      const name = distinctName(f.name, taken);
      taken.add(name);
      seen.add(f.name);
      plan.push({ file: name === f.name ? f : renamed(f, name) });
      continue;
    }
    seen.add(f.name);
    asked++;
    let choice: ClashChoice | null = forAll;
    if (!choice) {
      const answer = await askNameClash(f.name, clashing - asked);
      choice = answer.choice;
      if (answer.all) forAll = choice;
    }
    if (choice === 'replace') plan.push({ file: f, replace: match });
    else if (choice === 'keep') {
      const name = distinctName(f.name, taken);
      taken.add(name);
      plan.push({ file: renamed(f, name) });
    }
  }
  return plan;
}

/** Imports picked or dropped files into `share`, asking about same-named files first. */
export async function importFiles(share: string, files: PickedFile[]): Promise<void> {
  const plan = await guarded(() => planImports(share, files));
  if (!plan) return;
  await Promise.all(plan.map((p) => guarded(async () => {
    if (p.replace) await replaceNow(share, p.replace, p.file);
    else await withUpload(p.file.name, p.file.size, false, ({ onProgress, ...control }) => vault().importFile(share, p.file, onProgress, control));
    await loadItems(share);
  })));
}

async function replaceNow(share: string, item: ItemSummary, file: PickedFile): Promise<void> {
  // `base`: the version the user saw; if it was replaced elsewhere meanwhile, the core keeps this
  // content as a conflicted copy (and reports FILE_CONFLICT_COPY) instead of writing over it.
  await withUpload(item.title, file.size, true, (control) => vault().replaceFile(share, item.id, file, { base: item.version, ...control }));
}

/** "Replace with new version…": the picked file's content becomes the item's next version. */
export const replaceWithNewVersion = (share: string, item: ItemSummary, file: PickedFile) => guarded(async () => {
  await replaceNow(share, item, file);
  await loadItems(share);
});

/** Shows `version` of the item in the open history dialog (note: text + diff to the current; file: its preview). */
export const showVersion = (share: string, item: string, version: number) => guarded(async () => {
  closeVersionView();
  const history = useVaultData.getState().history;
  const info = history?.find((h) => h.version === version);
  if (!history || !info) return;
  const current = version === Math.max(...history.map((h) => h.version));
  const summary = useVaultData.getState().items.find((i) => i.id === item);
  useVersionView.setState({ loading: version });
  const still = () => useVaultData.getState().history === history && useVersionView.getState().loading === version && !!useSession.getState().vault;
  if (summary?.kind === 'note') {
    const [old, now] = await Promise.all([vault().readNote(share, item, version), vault().readNote(share, item)]);
    if (!still()) return;
    useVersionView.setState({ loading: null, shown: { kind: 'note', item, version, current, title: old.title, body: old.body, diff: lineDiff(old.body, now.body) } });
    return;
  }
  const name = info.name ?? summary?.title ?? '';
  const mime = info.mime ?? summary?.mime ?? 'application/octet-stream';
  const bytes = previewKind(mime, name) === 'none' ? new Uint8Array(0) : await readAll(vault().readFile(share, item, undefined, version));
  if (!still()) return;
  useVersionView.setState({ loading: null, shown: { kind: 'file', item, version, current, preview: buildPreview(item, name, mime, bytes) } });
}).finally(() => {
  if (useVersionView.getState().loading === version) useVersionView.setState({ loading: null });
});

/**
 * What the vault screens do, on top of the open VaultApi (session slice) and the vault-data
 * slice. Every failure is shown through the notice slice in words; nothing is swallowed.
 */
import type { Note, VaultApi } from '../../core/vault-api.js';
import type { Platform } from '../platform/platform.js';
import { setCount } from './favourites.js';
import { showError } from './notice-store.js';
import { onBeforeLock, onLock, useSession } from './session-store.js';
import { closePreview, parseTags, useVaultData, type OpenNote } from './vault-data.js';
import { buildPreview, previewKind, readAll } from './preview-kind.js';

const AUTOSAVE_MS = 600;
let autosave: ReturnType<typeof setTimeout> | null = null;
/** Every opened or new note gets its own draft number; saves are matched to drafts, never to "whatever is open now". */
let draftSeq = 0;
/**
 * Draft → the item its saves write to and the text the user's edits derive from. Kept outside the
 * open note so a save queued before the draft's first save finished still updates that item
 * (instead of creating a second one), even after the user moved on to another note.
 */
const drafts = new Map<number, { item: string; base: Note }>();
/** Saves run one after another in the order they were asked for (lock waits for the chain). */
let saveChain: Promise<unknown> = Promise.resolve();
onLock(() => {
  if (autosave) clearTimeout(autosave);
  autosave = null;
  drafts.clear();
});
// Lock waits for the pending autosave: the unsaved text is encrypted and stored before the keys go.
onBeforeLock(() => flushNote());

export function vault() {
  const v = useSession.getState().vault;
  if (!v) throw new Error('vault-actions: no open vault');
  return v;
}

export async function guarded<T>(fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (e) {
    if (useSession.getState().vault) showError(e);
    return undefined;
  }
}

/** Accepted shares and pending invitations (the sidebar's two lists). */
export const loadShares = () => guarded(async () => {
  const [shares, invitations] = await Promise.all([vault().listShares(), vault().invitations()]);
  useVaultData.setState({ shares, invitations });
  const { currentShare, go, screen } = useSession.getState();
  if ((!currentShare || !shares.some((s) => s.id === currentShare)) && shares[0]) go(screen, shares[0].id);
});

const listOnce = (share: string) => guarded(async () => {
  const items = await vault().listItems(share);
  setCount(share, items.length);
  if (useSession.getState().currentShare === share) useVaultData.setState({ items });
});
const listing = new Map<string, Promise<unknown>>();
const relisting = new Map<string, Promise<unknown>>();
function startListing(share: string): Promise<unknown> {
  const p: Promise<unknown> = listOnce(share).finally(() => { if (listing.get(share) === p) listing.delete(share); });
  listing.set(share, p);
  return p;
}
/**
 * Lists a share's items into the vault-data slice. One listing at a time per share: calls while
 * one runs share a single next run, so a burst of changes (pulled pages, saves) lists twice,
 * not once per change.
 */
export function loadItems(share: string): Promise<unknown> {
  const queued = relisting.get(share);
  if (queued) return queued;
  const running = listing.get(share);
  if (!running) return startListing(share);
  const next = running.then(() => { relisting.delete(share); return startListing(share); });
  relisting.set(share, next);
  return next;
}

export const createShare = (name: string) => guarded(async () => {
  const share = await vault().createShare(name);
  await loadShares();
  selectShare(share.id);
});

/** Accept an invitation on this device: the share is listed and opened. */
export const acceptInvitation = (share: string) => guarded(async () => {
  await vault().acceptInvitation(share);
  await loadShares();
  selectShare(share);
});

/** Decline an invitation: hidden on this device for good (the relay is not told). */
export const declineInvitation = (share: string) => guarded(async () => {
  await vault().declineInvitation(share);
  await loadShares();
});

export function selectShare(share: string): void {
  closePreview();
  useVaultData.setState({ items: [], selected: null, note: null, history: null });
  useSession.getState().go('vault', share);
  void loadItems(share);
}

export const selectItem = (share: string, item: string) => guarded(async () => {
  void flushNote();
  closePreview();
  const summary = useVaultData.getState().items.find((i) => i.id === item);
  useVaultData.setState({ selected: item, note: null, history: null });
  if (summary?.kind !== 'note') return;
  const note = await vault().readNote(share, item);
  if (useVaultData.getState().selected === item) {
    const draft = ++draftSeq;
    drafts.set(draft, { item, base: note });
    useVaultData.setState({ note: { draft, share, item, title: note.title, body: note.body, tags: note.tags.join(', '), save: 'saved', base: note } });
  }
});

export function newNote(share: string): void {
  void flushNote();
  closePreview();
  useVaultData.setState({ selected: null, history: null, note: { draft: ++draftSeq, share, item: null, title: '', body: '', tags: '', save: 'dirty', base: null } });
}

/** Updates the open note and schedules the debounced autosave. */
export function editNote(patch: Partial<Pick<OpenNote, 'title' | 'body' | 'tags'>>): void {
  const note = useVaultData.getState().note;
  if (!note) return;
  useVaultData.setState({ note: { ...note, ...patch, save: 'dirty' } });
  if (autosave) clearTimeout(autosave);
  autosave = setTimeout(() => void flushNote(), AUTOSAVE_MS);
}

/**
 * Saves the open note now if it has unsaved edits; resolves when every save asked for so far is
 * done. The text is taken NOW (synchronously), so "New note" or Lock right after cannot change
 * what is saved, nor where: the save belongs to the draft it was taken from.
 */
export function flushNote(): Promise<unknown> {
  if (autosave) clearTimeout(autosave);
  autosave = null;
  const note = useVaultData.getState().note;
  const v = useSession.getState().vault;
  if (note && v && note.save === 'dirty') {
    useVaultData.setState({ note: { ...note, save: 'saving' } });
    saveChain = saveChain.then(() => guarded(() => saveDraft(v, note)));
  }
  return saveChain;
}

async function saveDraft(v: VaultApi, snap: OpenNote): Promise<void> {
  const known = drafts.get(snap.draft);
  const mine: Note = { title: snap.title, body: snap.body, tags: parseTags(snap.tags) };
  const res = await v.saveNoteEdit(snap.share, mine, known?.item ?? snap.item, known?.base ?? snap.base ?? undefined);
  const now = useVaultData.getState().note;
  const changedMeanwhile = !!now && now.draft === snap.draft && (now.title !== snap.title || now.body !== snap.body || now.tags !== snap.tags);
  // Text typed after the snapshot derives from the snapshot, not from a merged result.
  const base = changedMeanwhile ? mine : res.note;
  drafts.set(snap.draft, { item: res.item, base });
  if (now?.draft === snap.draft && useSession.getState().vault === v) {
    const shown = changedMeanwhile ? {} : { title: res.note.title, body: res.note.body, tags: res.note.tags.join(', ') };
    useVaultData.setState({ note: { ...now, ...shown, item: res.item, base, save: changedMeanwhile ? 'dirty' : 'saved' }, selected: res.item });
    if (changedMeanwhile) editNote({});
  }
  if (useSession.getState().vault === v) await loadItems(snap.share);
}

/** Reloads the open note after a remote change, unless the user has unsaved edits. */
export const refreshOpenNote = () => guarded(async () => {
  const note = useVaultData.getState().note;
  if (!note?.item || note.save !== 'saved') return;
  const fresh = await vault().readNote(note.share, note.item);
  const now = useVaultData.getState().note;
  if (now?.draft === note.draft && now.item === note.item && now.save === 'saved') {
    drafts.set(now.draft, { item: now.item, base: fresh });
    useVaultData.setState({ note: { ...now, title: fresh.title, body: fresh.body, tags: fresh.tags.join(', '), base: fresh } });
  }
});

export const openPreview = (share: string, item: string) => guarded(async () => {
  closePreview();
  const summary = useVaultData.getState().items.find((i) => i.id === item);
  if (!summary) return;
  const mime = summary.mime ?? 'application/octet-stream';
  const kind = previewKind(mime, summary.title);
  if (kind === 'none') return void useVaultData.setState({ preview: { item, name: summary.title, mime, kind } });
  const bytes = await readAll(vault().readFile(share, item));
  if (useVaultData.getState().selected !== item || !useSession.getState().vault) return;
  useVaultData.setState({ preview: buildPreview(item, summary.title, mime, bytes) });
});

/** The explicit "Export decrypted copy…" (R6): the only way plaintext leaves memory. */
export const exportFile = (platform: Platform, share: string, item: string, name: string) =>
  guarded(() => platform.saveFile(name, vault().readFile(share, item)));

export const deleteItem = (share: string, item: string) => guarded(async () => {
  await vault().deleteItem(share, item);
  closePreview();
  useVaultData.setState({ selected: null, note: null, history: null });
  await loadItems(share);
});

export const openHistory = (share: string, item: string) => guarded(async () => {
  const history = await vault().history(share, item);
  if (useVaultData.getState().selected === item) useVaultData.setState({ history });
});

export const restoreVersion = (share: string, item: string, version: number) => guarded(async () => {
  await vault().restoreVersion(share, item, version);
  useVaultData.setState({ history: null });
  await loadItems(share);
  await selectItem(share, item);
});

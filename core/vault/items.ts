/** Shares and notes on top of a Session: list, create, read, save, delete, history, restore. */
import { concatBytes, fromUtf8, toB64url, utf8 } from '../encoding.js';
import { VaultError, isVaultError } from '../errors.js';
import { idBytes, newId, parseItemId, parseShareId, type ItemId, type ShareId } from '../ids.js';
import { sha256 } from '../crypto/hash.js';
import { keyCommit, newShareKey, wrapShareKeyForMember } from '../model/share-keys.js';
import { fileMetaSchema, openFileRecord, type FileMeta } from '../model/file.js';
import { canonicalBytes } from '../canonical.js';
import { openRecord, sealRecord, signTombstone, type RecordEnvelope } from '../model/item.js';
import { openNote, sealNote, type NoteContent } from '../model/note.js';
import { wipe } from '../crypto/wipe.js';
import type { StoredRecord } from '../store/vault-store.js';
import type { ItemSummary, Note, ShareSummary, VersionInfo } from '../vault-api.js';
import { isAccepted, loadDecisions } from './invitations.js';
import { nextEntry } from './membership.js';
import type { ItemPorts as Session } from './ports.js'; // a narrow port (ports.ts), not the Session class
import { personRef } from './person.js';
import { allVersions, versionOf } from './versions.js';
import type { SignPublicKey } from '../crypto/key-types.js';
import { loadIndex, patchListing, persistLater, pruneIndex, releaseRecords, searchText, shareIndex, summaryKey, verifiedCtx, verifyAndIndex, writeGen, type Cached } from './item-index.js';

export const SHARE_META_TAG = 'truhe:share-meta';

/** The item holding a share's encrypted name: a note with a fixed id derived from the share id. */
export function shareMetaItem(share: ShareId): ItemId {
  return toB64url(sha256(concatBytes(utf8('truhe/share-meta/v1'), idBytes(share))).slice(0, 16)) as ItemId;
}


/** Accepted shares only (invitations.ts): a pending or declined invitation is not listed. */
export async function listShares(s: Session): Promise<ShareSummary[]> {
  const out: ShareSummary[] = [];
  const decisions = await loadDecisions(s);
  for (const st of await s.store.listSyncStates()) {
    const state = s.shares.get(st.share) ?? (await s.loadShare(st.share));
    if (!state || !isAccepted(s, state, decisions)) continue;
    let name = '';
    let nameUnreadable = false;
    const meta = await s.store.getRecord(st.share, shareMetaItem(st.share));
    if (meta && meta.envelope.kind === 'note') {
      const title = (await openNote(s.openCtx(st.share), meta.envelope).catch(() => null))?.note.title;
      if (title === undefined) nameUnreadable = true;
      else name = title;
    }
    const me = state.members.get(s.keys.account);
    const myRole = s.guest ? (s.guest.readOnly ? 'guest-read' : 'guest-write') : me?.role ?? 'viewer';
    out.push({ id: st.share, name, myRole, epoch: state.epoch, ...(nameUnreadable ? { nameUnreadable } : {}) });
  }
  return out;
}

export async function createShare(s: Session, name: string): Promise<ShareSummary> {
  const share = newId<ShareId>();
  const key = newShareKey();
  const k = s.keys;
  const commit = toB64url(keyCommit(key, k.team, share, 0));
  const entry = nextEntry(share, undefined, k.account, { t: 'create', owner: k.account, boxPk: toB64url(k.box.publicKey), signPk: toB64url(k.sign.publicKey), epoch: 0, keyCommit: commit }, s.clock.now(), k.sign.secretKey);
  const wraps = [{ epoch: 0, to: { kind: 'account' as const, id: k.account }, wrapped: toB64url(wrapShareKeyForMember(key, k.box.publicKey)) }];
  const state = s.verifier.replay(share, [entry]);
  await s.store.putLogEntries([{ share, index: 0, raw: JSON.stringify(entry) }]);
  await s.store.putWrappedKeys(wraps.map((w) => ({ share, ...w })));
  await s.store.putSyncState({ share, lastSeq: 0, logHead: state.head });
  s.shares.set(share, state);
  s.keyring.put(share, 0, key);
  wipe(key);
  await s.store.addOutbox({ op: 'request', share, payload: JSON.stringify({ type: 'share.create', share, entry, wraps }) });
  const now = s.clock.now();
  const meta = sealNote(await s.sealCtx(share, shareMetaItem(share), 1, 0), { title: name, body: '', tags: [SHARE_META_TAG], updatedAt: now });
  await s.store.putWithOutbox({ share, envelope: meta }, { op: 'push', share, item: meta.item, version: 1 });
  await s.afterLocalChange(share);
  return { id: share, name, myRole: 'owner', epoch: 0 };
}

function noteSummary(s: Session, share: ShareId, env: RecordEnvelope, n: NoteContent): ItemSummary | null {
  if (n.tags.includes(SHARE_META_TAG) && env.item === shareMetaItem(share)) return null;
  return {
    id: env.item, share, kind: 'note', title: n.title, tags: n.tags, updatedAt: n.updatedAt, author: personRef(s, env.author), version: env.version,
    conflictOf: n.conflictOf, text: searchText(n.title, n.body),
  };
}

/** Verify (unless `pk` says this envelope was just verified) and decrypt one record into its summary. */
async function openSummary(s: Session, share: ShareId, env: RecordEnvelope, pk?: SignPublicKey): Promise<Cached> {
  const ctx = pk ? verifiedCtx(s, share, env, pk) : s.openCtx(share);
  if (env.kind === 'note') return noteSummary(s, share, env, (await openNote(ctx, env)).note);
  if (env.kind !== 'file') return null;
  const f = await openFileRecord(ctx, env);
  wipe(f.fileKey);
  return fileSummary(s, share, env, f.meta);
}

/** The listed summary of a file record (its metadata as sealed in it). */
export function fileSummary(s: Session, share: ShareId, env: RecordEnvelope, meta: FileMeta): ItemSummary {
  return { id: env.item, share, kind: 'file', title: meta.name, tags: [], updatedAt: meta.updatedAt, author: personRef(s, env.author), version: env.version, conflictOf: meta.conflictOf, size: meta.size, mime: meta.mime };
}

/** The sync engine's verify hook (session.ts): verify once, open once, list without more crypto. */
export function verifyPulledRecord(s: Session, share: ShareId, env: RecordEnvelope): Promise<void> {
  return verifyAndIndex(s, share, env, openSummary);
}

/**
 * Summaries of a share's current items, newest first. Each record version is verified and
 * decrypted at most once per session (item-index.ts), and not at all when the sealed local
 * index already holds its summary; an item that cannot be opened is reported and left out.
 */
export async function listItems(s: Session, shareIn: string): Promise<ItemSummary[]> {
  const share = parseShareId(shareIn);
  await loadIndex(s, share);
  const idx = shareIndex(s, share);
  if (idx.list && idx.list.gen === idx.gen) { // nothing written since (or only our own saves, patched in)
    persistLater(s, share, idx.list.entries);
    return summariesOf(idx.list.entries);
  }
  const gen = idx.gen;
  const current: [string, Cached][] = [];
  for (const r of await s.store.listRecords(share)) {
    if (r.envelope.kind === 'tombstone') continue;
    const key = summaryKey(r.envelope);
    let sum = idx.byKey.get(key);
    if (sum === undefined) {
      try {
        sum = await openSummary(s, share, r.envelope);
        idx.byKey.set(key, sum);
      } catch (e) {
        s.status.setError(e instanceof VaultError ? e : new VaultError('INTERNAL', 'listItems: failed to open an item', { cause: e }));
        continue;
      }
    }
    current.push([key, sum]);
  }
  idx.list = { gen, entries: current };
  releaseRecords(s, share, gen); // the listing stands for them from now on
  persistLater(s, share, current);
  pruneIndex(s, share, current);
  return summariesOf(current);
}

function summariesOf(entries: [string, Cached][]): ItemSummary[] {
  const out: ItemSummary[] = [];
  for (const [, sum] of entries) if (sum) out.push(sum);
  return out.sort((a, b) => b.updatedAt - a.updatedAt);
}

/** The current note, or its `version` (local history or, when online, the relay's). Throws NOT_FOUND. */
export async function readNote(s: Session, shareIn: string, itemIn: string, version?: number): Promise<Note> {
  const share = parseShareId(shareIn);
  const item = parseItemId(itemIn);
  const env = await versionOf(s, share, item, version);
  if (!env || env.kind !== 'note') throw new VaultError('NOT_FOUND', `readNote: no note ${itemIn}${version === undefined ? '' : ` v${version}`}`);
  const { title, body, tags } = (await openNote(s.openCtx(share), env)).note;
  return { title, body, tags };
}

export async function saveNote(s: Session, shareIn: string, note: Note, itemIn?: string): Promise<string> {
  const share = parseShareId(shareIn);
  const item = itemIn === undefined ? newId<ItemId>() : parseItemId(itemIn);
  // Sync may replace the local head between our read and our write (a pull, a rebase): the
  // write is refused then (STALE_VERSION) and this version is made again on the new head.
  for (let attempt = 0; ; attempt++) {
    const cur = itemIn === undefined ? undefined : await s.store.getRecord(share, item);
    try {
      return await saveNoteOn(s, share, note, item, cur, itemIn !== undefined);
    } catch (e) {
      if (!isVaultError(e, 'STALE_VERSION') || attempt >= 20) throw e;
    }
  }
}

/**
 * Write `note` as the next version on top of `cur` (the local head read by the caller; undefined
 * for a new note). Rejects with STALE_VERSION, writing nothing, if `cur` is no longer the head.
 */
export async function saveNoteOn(s: Session, share: ShareId, note: Note, item: ItemId, cur: StoredRecord | undefined, existing: boolean): Promise<string> {
  const itemIn = existing ? item : undefined;
  if (itemIn !== undefined && (!cur || cur.envelope.kind !== 'note')) throw new VaultError('NOT_FOUND', `saveNote: no note ${itemIn}`);
  // Only conflictOf is carried over: known without decrypting when this session opened or wrote
  // exactly that envelope (same signature) before.
  const cache = shareIndex(s, share).byKey;
  const prevKey = cur && summaryKey(cur.envelope);
  const known = prevKey ? cache.get(prevKey) ?? undefined : undefined;
  const prev = cur && !known ? (await openNote(s.openCtx(share), cur.envelope)).note : known;
  const version = (cur?.envelope.version ?? 0) + 1;
  const content: NoteContent = {
    title: note.title, body: note.body, tags: [...note.tags], updatedAt: s.clock.now(), ...(prev?.conflictOf ? { conflictOf: prev.conflictOf } : {}),
  };
  const env = sealNote(await s.sealCtx(share, item, version, version - 1), content);
  const expect = cur ? { version: cur.envelope.version, sig: cur.envelope.sig } : null;
  const gen = writeGen(s, share);
  const id = await s.store.putWithOutbox({ share, envelope: env }, { op: 'push', share, item, version }, expect);
  if (prevKey) cache.delete(prevKey);
  const sum = noteSummary(s, share, env, content);
  cache.set(summaryKey(env), sum);
  patchListing(s, share, gen, item, [summaryKey(env), sum]); // the next listing needs no store read
  await s.afterLocalChange(share, { id, envelope: env }); // starts the push; the rest is off that path
  await pruneHistory(s, share, item, version);
  return item;
}

export async function deleteItem(s: Session, shareIn: string, itemIn: string): Promise<void> {
  const share = parseShareId(shareIn);
  const item = parseItemId(itemIn);
  const cur = await s.store.getRecord(share, item);
  if (!cur || cur.envelope.kind === 'tombstone') throw new VaultError('NOT_FOUND', `deleteItem: no item ${itemIn}`);
  const version = cur.envelope.version + 1;
  const env = signTombstone(await s.sealCtx(share, item, version, version - 1));
  await s.store.putWithOutbox({ share, envelope: env }, { op: 'push', share, item, version });
  await s.afterLocalChange(share);
}

export async function history(s: Session, shareIn: string, itemIn: string): Promise<VersionInfo[]> {
  const share = parseShareId(shareIn);
  const out: VersionInfo[] = [];
  for (const env of await allVersions(s, share, parseItemId(itemIn))) {
    try {
      if (env.kind === 'note') {
        const n = await openNote(s.openCtx(share), env);
        out.push({ version: env.version, updatedAt: n.note.updatedAt, author: personRef(s, env.author), size: n.note.body.length });
      } else {
        const f = await openFileRecord(s.openCtx(share), env);
        wipe(f.fileKey);
        out.push({ version: env.version, updatedAt: f.meta.updatedAt, author: personRef(s, env.author), size: f.meta.size, name: f.meta.name, mime: f.meta.mime });
      }
    } catch (e) {
      s.status.setError(e instanceof VaultError ? e : new VaultError('INTERNAL', 'history: failed to open a version', { cause: e }));
    }
  }
  return out;
}

/** Restore = a NEW version carrying the old content (history is never rewritten). */
export async function restoreVersion(s: Session, shareIn: string, itemIn: string, version: number): Promise<void> {
  const share = parseShareId(shareIn);
  const item = parseItemId(itemIn);
  const old = (await allVersions(s, share, item)).find((e) => e.version === version);
  // Written on top of the head read here; if sync replaces it first, the write is refused
  // (STALE_VERSION) and made again on the new head, so a concurrent change stays in the history.
  for (let attempt = 0; ; attempt++) {
    const head = await s.store.getRecord(share, item);
    if (!old || !head) throw new VaultError('NOT_FOUND', `restoreVersion: no version ${version} of ${itemIn}`);
    try {
      return await restoreOn(s, share, item, old, head);
    } catch (e) {
      if (!isVaultError(e, 'STALE_VERSION') || attempt >= 20) throw e;
    }
  }
}

async function restoreOn(s: Session, share: ShareId, item: ItemId, old: RecordEnvelope, head: StoredRecord): Promise<void> {
  const next = head.envelope.version + 1;
  let env: RecordEnvelope;
  if (old.kind === 'note') {
    const n = (await openNote(s.openCtx(share), old)).note;
    env = sealNote(await s.sealCtx(share, item, next, next - 1), { ...n, updatedAt: s.clock.now() });
  } else {
    // Same item key and chunks (no re-upload); the metadata says when it was restored.
    const { payload, itemKey } = await openRecord(s.openCtx(share), old, old.kind);
    const meta = fileMetaSchema.parse(JSON.parse(fromUtf8(payload)));
    env = sealRecord(await s.sealCtx(share, item, next, next - 1), old.kind, canonicalBytes({ ...meta, updatedAt: s.clock.now() }), old.chunks, itemKey);
    wipe(itemKey, payload);
  }
  await s.store.putWithOutbox({ share, envelope: env }, { op: 'push', share, item, version: next }, { version: head.envelope.version, sig: head.envelope.sig });
  await s.afterLocalChange(share);
}

/**
 * Retention: keep `historyRetention` (default 20) older versions locally (the relay keeps its
 * own). Checked every `keep`-th version only (local versions are dense), so history stays
 * under 2 × keep and a save costs no history read; one delete of the oldest rows, never of a
 * version still waiting in the outbox, never touching the head.
 */
async function pruneHistory(s: Session, share: ShareId, item: ItemId, version: number): Promise<void> {
  const keep = s.deps.historyRetention ?? 20;
  if (keep > 0 && (version % keep !== 0 || version <= keep)) return;
  const hist = await s.store.history(share, item);
  if (hist.length <= keep) return;
  const drop = new Set(hist.slice(0, hist.length - keep).map((h) => h.envelope.version));
  const pendingOut = (await s.store.listOutbox()).some((e) => e.share === share && e.item === item && e.version !== undefined && drop.has(e.version));
  if (pendingOut) return; // never prune a version still waiting to be pushed
  await s.store.deleteHistory(share, item, [...drop]);
}

/**
 * Item summaries of one unlocked session, and their sealed copy in the local store.
 *
 * In memory: one summary per opened (or just written) record version, keyed by item, version and
 * signature, so each version is verified and decrypted once per session. The sync engine's
 * verify hook (verifyAndIndex) fills it as records arrive: a pulled record is verified once,
 * decrypted with the key that verification returned, and listed without a second check.
 *
 * In the store: the share's current summaries (title, tags, note text for search) sealed with
 * XChaCha20-Poly1305 under a key derived from the account's signing seed, bound to team, share
 * and account, so nothing readable sits in IndexedDB. On unlock a record whose item, version and
 * signature match an entry is listed from it, so unlocking does not verify and decrypt the whole
 * vault again. The index holds only what this client produced after verifying each record; any
 * other envelope (new version, other signature) is verified and opened as before. A tampered or
 * corrupt index is reported (TAMPERED) and rebuilt from the records.
 */
import { canonicalBytes } from '../canonical.js';
import { concatBytes, fromUtf8, utf8 } from '../encoding.js';
import { VaultError } from '../errors.js';
import type { ShareId } from '../ids.js';
import { aeadOpen, aeadSeal } from '../crypto/aead.js';
import { deriveSubkey } from '../crypto/kdf.js';
import type { SignPublicKey, SymmetricKey } from '../crypto/key-types.js';
import { wipe } from '../crypto/wipe.js';
import type { OpenContext } from '../model/item.js';
import type { RecordEnvelope } from '../model/record.js';
import type { PushAck, StoredRecord, VaultStore } from '../store/vault-store.js';
import type { ItemSummary } from '../vault-api.js';
import type { ItemIndexPorts as Session } from './ports.js'; // a narrow port (ports.ts), not the Session class
import { yieldTask } from './yield-task.js';

/** Characters of a note (title + body) kept for search; longer bodies are searched up to here. */
export const SEARCH_TEXT_MAX = 64 * 1024;
const SAVE_DELAY_MS = 1500;
/** Summaries serialized per slice of the sealed index (then the event loop runs). */
const PERSIST_SLICE = 500;
const INDEX_VERSION = 2; // 2: author is a PersonRef (was a display label)

/** null: a record that is opened but not listed (the share's name record). */
export type Cached = ItemSummary | null;

interface ShareIndex {
  byKey: Map<string, Cached>;
  /** Bumped before and after every store write touching the share (trackWrites). */
  gen: number;
  /** The last listing and the write generation it reflects: reused while no write came since. */
  list?: { gen: number; entries: [string, Cached][] };
  loaded: Promise<void> | null;
  /** Keys in the sealed copy last written (or read). */
  persisted: Set<string>;
  /**
   * The share's last read of its records and the write generation it was made at: every
   * listRecords while no write came since shares it (trackWrites), until a listing is built from
   * it. At unlock it is the read made while Argon2id ran (launcher.ts), so the undelivered check
   * and the first listing read the 10 000 records of a share not once each but not at all.
   */
  records?: { gen: number; read: Promise<StoredRecord[]> };
  timer?: ReturnType<typeof setTimeout>;
}

const perSession = new WeakMap<Session, Map<ShareId, ShareIndex>>();

export function shareIndex(s: Session, share: ShareId): ShareIndex {
  let m = perSession.get(s);
  if (!m) perSession.set(s, (m = new Map()));
  let idx = m.get(share);
  if (!idx) m.set(share, (idx = { byKey: new Map(), gen: 0, loaded: null, persisted: new Set() }));
  return idx;
}

/** Identity of one record version (the signature covers everything else in the envelope). */
export const summaryKey = (env: RecordEnvelope): string => `${env.item}/${env.version}/${env.sig}`;

/** Lower-cased search text of a note. */
export function searchText(title: string, body: string): string {
  return `${title}\n${body}`.slice(0, SEARCH_TEXT_MAX).toLowerCase();
}

/** An OpenContext that skips the signature check for exactly this envelope object (verified by the caller). */
export function verifiedCtx(s: Session, share: ShareId, env: RecordEnvelope, pk: SignPublicKey): OpenContext {
  return { ...s.openCtx(share), verifiedAuthorKey: (e) => (e === env ? pk : undefined) };
}

type Opener<S extends Session> = (s: S, share: ShareId, env: RecordEnvelope, pk?: SignPublicKey) => Promise<Cached>;

/**
 * The engine's verify hook: verify the pulled record (throws to reject it, as before), then open
 * it once with the key that check returned, so listing it later costs no crypto. A record that
 * verifies but cannot be opened yet is stored anyway; listItems opens it again and reports why.
 */
export async function verifyAndIndex<S extends Session>(s: S, share: ShareId, env: RecordEnvelope, open: Opener<S>): Promise<void> {
  const pk = await s.verifyEnvelope(share, env);
  if (env.kind === 'tombstone' || s.locked) return;
  const idx = shareIndex(s, share);
  const key = summaryKey(env);
  if (idx.byKey.has(key)) return;
  try {
    idx.byKey.set(key, await open(s, share, env, pk));
  } catch { /* listed later: listItems opens it again and reports the error */ }
}

function indexKey(s: Session): SymmetricKey {
  return deriveSubkey<SymmetricKey>(s.keys.sign.secretKey.subarray(0, 32), 'truhe/summary-index');
}
function indexAd(s: Session, share: ShareId): Uint8Array {
  return concatBytes(utf8('truhe/summary-index/v1'), canonicalBytes({ team: s.team, share, account: s.keys.account }));
}

const isStr = (v: unknown): v is string => typeof v === 'string';
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * One summary of an opened index, exactly as this app writes it (a new object with only the
 * known fields); undefined for anything else. A plain check: a schema library's costs some
 * 40-100 ms for 10 000 entries at unlock, on the way to the first rows.
 */
function summaryOf(v: unknown): ItemSummary | undefined {
  if (!isObj(v)) return undefined;
  const { id, share, kind, title, tags, updatedAt, author: a, version, conflictOf, size, mime, text } = v;
  if (!isStr(id) || !isStr(share) || (kind !== 'note' && kind !== 'file') || !isStr(title) || !Array.isArray(tags) || !tags.every(isStr)) return undefined;
  if (!isNum(updatedAt) || !Number.isSafeInteger(version) || !isObj(a) || (a.kind !== 'account' && a.kind !== 'code') || !isStr(a.id) || !isStr(a.name) || typeof a.isMe !== 'boolean') return undefined;
  if ((conflictOf !== undefined && !isStr(conflictOf)) || (size !== undefined && !isNum(size)) || (mime !== undefined && !isStr(mime)) || (text !== undefined && !isStr(text))) return undefined;
  return {
    id, share, kind, title, tags: tags as string[], updatedAt, author: { kind: a.kind, id: a.id, name: a.name, isMe: a.isMe }, version: version as number,
    ...(conflictOf !== undefined ? { conflictOf } : {}), ...(size !== undefined ? { size } : {}), ...(mime !== undefined ? { mime } : {}), ...(text !== undefined ? { text } : {}),
  };
}

/** The entries of an opened index of this version; throws (the index is refused whole) on anything this app does not write. */
function entriesOf(data: unknown): [string, Cached][] {
  if (!isObj(data) || data.v !== INDEX_VERSION || !Array.isArray(data.entries)) throw new VaultError('BAD_FORMAT', 'loadIndex: not a summary index');
  const out: [string, Cached][] = [];
  for (const e of data.entries as unknown[]) {
    const [key, sum] = Array.isArray(e) && e.length === 2 ? e as unknown[] : [];
    const cached = sum === null ? null : summaryOf(sum);
    if (!isStr(key) || cached === undefined) throw new VaultError('BAD_FORMAT', 'loadIndex: a malformed entry');
    out.push([key, cached]);
  }
  return out;
}

/** A read made while Argon2id ran (launcher.ts prefetchShares), handed out once. */
function takePrefetched<T>(reads: Map<string, Promise<T>> | null | undefined, share: ShareId): Promise<T> | undefined {
  const read = reads?.get(share);
  reads?.delete(share);
  return read;
}

/** Reads the sealed index of a share into memory, once per session (guests keep none). */
export function loadIndex(s: Session, share: ShareId): Promise<void> {
  const idx = shareIndex(s, share);
  idx.loaded ??= (async () => {
    if (s.guest) return;
    const sealed = await (takePrefetched(s.prefetchedIndexes, share) ?? s.store.getSealedIndex(share));
    if (!sealed) return;
    const key = indexKey(s);
    try {
      const data: unknown = JSON.parse(fromUtf8(aeadOpen(key, sealed, indexAd(s, share))));
      // An index written by an older version of the app is simply rebuilt (no error: nothing was altered).
      if (typeof data === 'object' && data !== null && typeof (data as { v?: unknown }).v === 'number' && (data as { v: number }).v < INDEX_VERSION) return;
      for (const [k, sum] of entriesOf(data)) {
        if (sum && sum.share !== share) continue;
        if (!idx.byKey.has(k)) idx.byKey.set(k, sum);
        idx.persisted.add(k);
      }
    } catch (e) {
      s.status.setError(new VaultError('TAMPERED', 'loadIndex: the local summary index could not be opened; it is rebuilt from the records', { cause: e }));
    } finally {
      wipe(key);
    }
  })();
  return idx.loaded;
}

/** The records of a share as the store holds them now (through trackWrites: a shared read). */
function readRecords(s: Session, share: ShareId, read: () => Promise<StoredRecord[]>): Promise<StoredRecord[]> {
  const idx = shareIndex(s, share);
  const early = takePrefetched(s.prefetchedRecords, share);
  let r = idx.records;
  if (!r || r.gen !== idx.gen) {
    // The read made before this session existed is current while nothing was written since.
    const p = early && idx.gen === 0 ? early.catch(() => read()) : read();
    const made = (r = idx.records = { gen: idx.gen, read: p });
    p.catch(() => { if (idx.records === made) idx.records = undefined; }); // a failed read is not reused
  }
  return r.read.then((recs) => recs.slice());
}

/** A listing was built from the shared read of the share's records: it is not kept any longer. */
export function releaseRecords(s: Session, share: ShareId, gen: number): void {
  const idx = shareIndex(s, share);
  if (idx.records?.gen === gen) idx.records = undefined;
}

/**
 * After a listing: if the share's current keys differ from the sealed copy, write a new one a
 * moment later (latest listing wins; nothing is written once the vault is locked).
 */
export function persistLater(s: Session, share: ShareId, current: [string, Cached][]): void {
  if (s.guest) return;
  const idx = shareIndex(s, share);
  if (current.length === idx.persisted.size && current.every(([k]) => idx.persisted.has(k))) return;
  if (idx.timer) clearTimeout(idx.timer);
  idx.timer = setTimeout(() => {
    idx.timer = undefined;
    void (async () => {
      // The JSON of 10 000 summaries is built in slices with the event loop run in between,
      // so writing the index is no long task on the UI thread (then one seal of a few MB).
      const parts: string[] = [];
      for (let i = 0; i < current.length; i += PERSIST_SLICE) {
        if (i > 0) await yieldTask();
        if (s.locked) return;
        parts.push(current.slice(i, i + PERSIST_SLICE).map((e) => JSON.stringify(e)).join(','));
      }
      if (s.locked) return;
      const key = indexKey(s);
      try {
        return aeadSeal(key, utf8(`{"v":${INDEX_VERSION},"entries":[${parts.join(',')}]}`), indexAd(s, share));
      } finally {
        wipe(key);
      }
    })().then(async (sealed) => {
      if (!sealed) return;
      await s.store.putSealedIndex(share, sealed);
      idx.persisted = new Set(current.map(([k]) => k));
    }).catch((e: unknown) => {
      if (!s.locked) s.status.setError(e instanceof VaultError ? e : new VaultError('INTERNAL', 'persistLater: writing the summary index failed', { cause: e }));
    });
  }, SAVE_DELAY_MS);
}

/** Forget summaries of versions no longer current (keeps memory near one entry per item). */
export function pruneIndex(s: Session, share: ShareId, current: [string, Cached][]): void {
  const idx = shareIndex(s, share);
  if (idx.byKey.size <= current.length * 2 + 256) return;
  idx.byKey = new Map(current);
}

/** Which shares a store write touches ('all': every share of the session). */
const WRITES: Record<string, (args: unknown[]) => ShareId[] | 'all'> = {
  putRecord: (a) => [(a[0] as StoredRecord).share],
  putRecords: (a) => (a[0] as StoredRecord[]).map((r) => r.share),
  putWithOutbox: (a) => [(a[0] as StoredRecord).share],
  applyPulled: (a) => [a[0] as ShareId],
  ackPushes: (a) => [a[0] as ShareId],
  deleteItem: (a) => [a[0] as ShareId],
  replaceItem: (a) => [a[0] as ShareId], // conflict resolution: the head and its conflicted copies
  wipe: () => 'all',
};

/**
 * The session's store, seen through a proxy that bumps a share's write generation before and
 * after every write that can change its item list, so listItems can reuse its last listing
 * (no read of every record) while nothing was written. An acknowledged push of exactly the
 * listed version changes nothing listed and bumps nothing.
 */
export function trackWrites(s: Session, store: VaultStore): VaultStore {
  const bound = new Map<PropertyKey, unknown>();
  const bump = (shares: ShareId[] | 'all') => {
    if (shares === 'all') s.prefetchedRecords?.clear();
    // An explicit share gets its entry now: a read made before (prefetched) must not pass for current.
    const all = shares === 'all' ? [...(perSession.get(s)?.values() ?? [])] : shares.map((sh) => shareIndex(s, sh));
    for (const idx of all) {
      idx.gen++;
      if (idx.records && idx.records.gen !== idx.gen) idx.records = undefined;
    }
  };
  return new Proxy(store, {
    get(target, prop) {
      const v = Reflect.get(target, prop, target) as unknown;
      if (typeof v !== 'function') return v;
      let f = bound.get(prop);
      if (f) return f;
      const which = typeof prop === 'string' ? WRITES[prop] : undefined;
      const fn = v as (...a: unknown[]) => unknown;
      if (prop === 'listRecords') f = (share: ShareId) => readRecords(s, share, () => (fn as VaultStore['listRecords']).call(target, share));
      else f = !which ? fn.bind(target) : (...args: unknown[]) => {
        if (prop === 'ackPushes' && acksChangeNothing(s, args[0] as ShareId, args[1] as PushAck[])) {
          // Nothing listed changes, but the records' seq does: a shared read of them is stale.
          const idx = shareIndex(s, args[0] as ShareId);
          idx.records = undefined;
          return Promise.resolve(fn.apply(target, args)).finally(() => { idx.records = undefined; });
        }
        if (prop === 'applyPulled') return applyPulledPatching(s, fn.bind(target) as VaultStore['applyPulled'], args as Parameters<VaultStore['applyPulled']>, bump);
        const shares = which(args);
        bump(shares);
        return Promise.resolve(fn.apply(target, args)).finally(() => bump(shares));
      };
      bound.set(prop, f);
      return f;
    },
  });
}

/**
 * A pulled page: the store's `decide` is watched to learn which items the page stored or
 * deleted, and once it is committed the last listing is patched with exactly those (their
 * summaries were made by the verify hook), so a first sync lists each page without reading the
 * share's records again. Anything unusual (another write meanwhile, a record not yet opened)
 * leaves the listing stale, and the next listItems reads the share as before.
 */
async function applyPulledPatching(s: Session, apply: VaultStore['applyPulled'], [share, recs, lastSeq, decide]: Parameters<VaultStore['applyPulled']>, bump: (shares: ShareId[]) => void): Promise<number> {
  const genBefore = shareIndex(s, share).gen;
  const changed: [string, RecordEnvelope | null][] = [];
  bump([share]);
  let n: number;
  try {
    n = await apply(share, recs, lastSeq, (local, incoming) => {
      const what = decide(local, incoming);
      if (what !== 'skip') changed.push([incoming.envelope.item, what === 'store' ? incoming.envelope : null]);
      return what;
    });
  } finally {
    bump([share]);
  }
  patchPulled(s, share, genBefore, changed);
  return n;
}

function patchPulled(s: Session, share: ShareId, genBefore: number, changed: [string, RecordEnvelope | null][]): void {
  const idx = shareIndex(s, share);
  if (!idx.list || idx.list.gen !== genBefore || idx.gen !== genBefore + 2) return;
  if (changed.length === 0) {
    idx.list = { gen: idx.gen, entries: idx.list.entries };
    return;
  }
  const last = new Map<string, RecordEnvelope | null>(changed);
  const add: [string, Cached][] = [];
  for (const env of last.values()) {
    if (!env || env.kind === 'tombstone') continue;
    const key = summaryKey(env);
    const sum = idx.byKey.get(key);
    if (sum === undefined) return; // not opened yet: listItems opens it (and reports why it cannot)
    add.push([key, sum]);
  }
  const entries = idx.list.entries.filter(([k]) => !last.has(k.slice(0, k.indexOf('/'))));
  entries.push(...add);
  idx.list = { gen: idx.gen, entries };
}

function acksChangeNothing(s: Session, share: ShareId, acks: PushAck[]): boolean {
  const list = perSession.get(s)?.get(share)?.list;
  if (!list) return false;
  const keys = new Set(list.entries.map(([k]) => k));
  return acks.every((a) => a.envelope.kind !== 'tombstone' && keys.has(summaryKey(a.envelope)));
}

/** The write generation of a share now (read before a write whose result the caller patches in). */
export function writeGen(s: Session, share: ShareId): number {
  return shareIndex(s, share).gen;
}

/**
 * After this session wrote one record itself (saveNote): patch the last listing instead of
 * dropping it, if no other write came between `genBefore` and now (one write = two bumps).
 */
export function patchListing(s: Session, share: ShareId, genBefore: number, item: string, entry: [string, Cached]): void {
  const idx = shareIndex(s, share);
  if (!idx.list || idx.list.gen !== genBefore || idx.gen !== genBefore + 2) return;
  const entries = idx.list.entries.filter(([k]) => !k.startsWith(`${item}/`));
  entries.push(entry);
  idx.list = { gen: idx.gen, entries };
}

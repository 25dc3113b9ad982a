/**
 * Shared machinery for item records (notes, files, tombstones). Body layout (base64url in the
 * envelope):
 *   version u8 (=1) ‖ keyCommit (32, see share-keys.ts) ‖ wrappedItemKey (72) ‖ sealedPayload
 *   wrappedItemKey = AEAD(share key, item key, AD(part 'key')); sealedPayload = AEAD(item key,
 *   payload, AD(part 'body')), AD = 'truhe/item/v1' ‖ canonicalJson({team, share, item, version,
 *   epoch, kind, part}). A fresh random item key per version. The keyCommit lets a reader
 *   report WRONG_KEY (wrong epoch key) apart from TAMPERED.
 */
import { canonicalBytes } from '../canonical.js';
import { concatBytes, fromB64url, toB64url, utf8 } from '../encoding.js';
import { VaultError } from '../errors.js';
import { isId, type ItemId } from '../ids.js';
import { aeadOpen, aeadSeal } from '../crypto/aead.js';
import { randomKey } from '../crypto/keys.js';
import { wipe } from '../crypto/wipe.js';
import type { ItemKey, ShareKey, SignPublicKey, SignSecretKey } from '../crypto/key-types.js';
import { checkKeyCommit, keyCommit, KEY_COMMIT_BYTES } from './share-keys.js';
import { signRecord, verifyRecord, type Author, type B64Ciphertext, type ItemKind, type RecordContext, type RecordEnvelope, type ResolveAuthorKey } from './record.js';

export * from './record.js';

const BODY_VERSION = 1;
const WRAPPED_KEY_BYTES = 24 + 32 + 16;

/** What a writer needs to seal a record. */
export interface SealContext extends RecordContext {
  item: ItemId;
  /** New version number (≥ 1) and the version it was edited from (0 for a new item). */
  version: number;
  baseVersion: number;
  epoch: number;
  shareKey: ShareKey;
  author: Author;
  authorKey: SignSecretKey;
}

/** What a reader needs to verify and open a record. */
export interface OpenContext extends RecordContext {
  /** The share key of an epoch; throws (e.g. WRONG_KEY / NOT_FOUND) if unknown. */
  shareKeyFor: (epoch: number) => ShareKey | Promise<ShareKey>;
  resolveAuthorKey: ResolveAuthorKey;
  /**
   * The author's key when the caller has just verified this very envelope object (the sync
   * engine verifies every pulled record before storing it), so it is not verified twice.
   * Must return undefined for any other object.
   */
  verifiedAuthorKey?: (env: RecordEnvelope) => SignPublicKey | undefined;
}

/** Verified metadata every opened record carries. */
export interface OpenedMeta {
  item: ItemId;
  version: number;
  baseVersion: number;
  epoch: number;
  author: Author;
  authorKey: SignPublicKey;
}

export function itemAd(ctx: RecordContext, m: { item: string; version: number; epoch: number; kind: ItemKind }, part: 'key' | 'body'): Uint8Array {
  return concatBytes(utf8('truhe/item/v1'), canonicalBytes({ team: ctx.team, share: ctx.share, item: m.item, version: m.version, epoch: m.epoch, kind: m.kind, part }));
}

function checkSealContext(fn: string, c: SealContext): void {
  if (!isId(c.item) || !Number.isSafeInteger(c.version) || c.version < 1 || !Number.isSafeInteger(c.baseVersion) || c.baseVersion < 0 || c.baseVersion >= c.version) {
    throw new VaultError('BAD_FORMAT', `${fn}: bad item id or version (${c.version} from ${c.baseVersion})`);
  }
  if (!Number.isSafeInteger(c.epoch) || c.epoch < 0) throw new VaultError('BAD_FORMAT', `${fn}: bad epoch`);
}

/**
 * A delete as sync sends it: the signed envelope of `c`'s item and version with an empty body.
 * The relay keeps only this envelope (DESIGN.md §5, R5), so the signature covers exactly that.
 * (sealTombstone below seals a deletion time as content; nothing in sync uses it.)
 */
export function signTombstone(c: SealContext): RecordEnvelope {
  return signRecord(c, { item: c.item, version: c.version, baseVersion: c.baseVersion, kind: 'tombstone', epoch: c.epoch, author: c.author, body: '' as B64Ciphertext, chunks: [] }, c.authorKey);
}

/**
 * Seal `payload` under a fresh item key (or the given one) and sign the envelope.
 * Low-level: use sealNote / importFile / sealTombstone.
 */
export function sealRecord(c: SealContext, kind: ItemKind, payload: Uint8Array, chunks: string[], itemKey?: ItemKey): RecordEnvelope {
  checkSealContext('sealRecord', c);
  const key = itemKey ?? randomKey<ItemKey>();
  const m = { item: c.item, version: c.version, epoch: c.epoch, kind };
  const body = concatBytes(
    Uint8Array.of(BODY_VERSION),
    keyCommit(c.shareKey, c.team, c.share, c.epoch),
    aeadSeal(c.shareKey, key, itemAd(c, m, 'key')),
    aeadSeal(key, payload, itemAd(c, m, 'body')),
  );
  if (!itemKey) wipe(key);
  return signRecord(c, {
    item: c.item, version: c.version, baseVersion: c.baseVersion, kind, epoch: c.epoch,
    author: { kind: c.author.kind, id: c.author.id }, body: toB64url(body) as B64Ciphertext, chunks: [...chunks],
  }, c.authorKey);
}

/**
 * Verify the signature FIRST, then unwrap the item key and decrypt the payload. Throws
 * UNKNOWN_AUTHOR, BAD_SIGNATURE, BAD_FORMAT, WRONG_KEY (share key of another epoch/share),
 * TAMPERED (ciphertext or binding altered). Returns the payload and the item key (caller wipes).
 */
export async function openRecord(c: OpenContext, env: RecordEnvelope, kind: ItemKind): Promise<{ meta: OpenedMeta; payload: Uint8Array; itemKey: ItemKey }> {
  if (env.kind !== kind) throw new VaultError('BAD_FORMAT', `openRecord: expected a ${kind} record, got ${env.kind}`);
  const authorKey = c.verifiedAuthorKey?.(env) ?? await verifyRecord(c, env, c.resolveAuthorKey);
  const body = fromB64url(env.body);
  const minLen = 1 + KEY_COMMIT_BYTES + WRAPPED_KEY_BYTES + 24 + 16;
  if (body.length < minLen || body[0] !== BODY_VERSION) throw new VaultError('BAD_FORMAT', 'openRecord: body too short or unknown version');
  const shareKey = await c.shareKeyFor(env.epoch);
  checkKeyCommit(shareKey, c.team, c.share, env.epoch, body.subarray(1, 1 + KEY_COMMIT_BYTES));
  const m = { item: env.item, version: env.version, epoch: env.epoch, kind };
  const wrapped = body.subarray(1 + KEY_COMMIT_BYTES, 1 + KEY_COMMIT_BYTES + WRAPPED_KEY_BYTES);
  const itemKey = aeadOpen(shareKey, wrapped, itemAd(c, m, 'key')) as ItemKey;
  const payload = aeadOpen(itemKey, body.subarray(1 + KEY_COMMIT_BYTES + WRAPPED_KEY_BYTES), itemAd(c, m, 'body'));
  return {
    meta: { item: env.item, version: env.version, baseVersion: env.baseVersion, epoch: env.epoch, author: env.author, authorKey },
    payload, itemKey,
  };
}

/** A signed deletion marker (no content). */
export function sealTombstone(c: SealContext, deletedAt: number): RecordEnvelope {
  return sealRecord(c, 'tombstone', canonicalBytes({ deletedAt }), []);
}

/** Verify and open a tombstone; returns its verified metadata and deletion time (ms). */
export async function openTombstone(c: OpenContext, env: RecordEnvelope): Promise<OpenedMeta & { deletedAt: number }> {
  const { meta, payload, itemKey } = await openRecord(c, env, 'tombstone');
  wipe(itemKey);
  const parsed = JSON.parse(new TextDecoder().decode(payload)) as { deletedAt?: unknown };
  if (typeof parsed.deletedAt !== 'number') throw new VaultError('BAD_FORMAT', 'openTombstone: bad payload');
  return { ...meta, deletedAt: parsed.deletedAt };
}

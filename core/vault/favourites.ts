/**
 * Favourites: which items this person starred, per share, kept on THIS device only.
 *
 * Why local and not in the item: a favourite is personal, and the item record is shared (a star
 * written into it would be everyone's star and a new version for everyone). Why sealed: which
 * items someone cares about is still something the IndexedDB of a lost laptop should not tell.
 * The set of item ids is sealed with XChaCha20-Poly1305 under a key derived from the account's
 * signing seed (as the summary index, item-index.ts), bound to team, share and account; the
 * store sees one ciphertext row per share. A guest session (access code) has no local account:
 * its favourites live in memory for the session only. A favourite whose item is gone is simply
 * not listed (the renderer intersects with the item list).
 */
import { z } from 'zod';
import { canonicalBytes } from '../canonical.js';
import { concatBytes, fromUtf8, utf8 } from '../encoding.js';
import { VaultError } from '../errors.js';
import type { ShareId } from '../ids.js';
import { aeadOpen, aeadSeal } from '../crypto/aead.js';
import { deriveSubkey } from '../crypto/kdf.js';
import type { SymmetricKey } from '../crypto/key-types.js';
import { wipe } from '../crypto/wipe.js';
import type { Session } from './session.js';

const FAV_VERSION = 1;
const favSchema = z.object({ v: z.literal(FAV_VERSION), items: z.array(z.string().min(1).max(200)).max(100_000) });

const perSession = new WeakMap<Session, Map<ShareId, Promise<Set<string>>>>();

function favKey(s: Session): SymmetricKey {
  return deriveSubkey<SymmetricKey>(s.keys.sign.secretKey.subarray(0, 32), 'truhe/favourites');
}
function favAd(s: Session, share: ShareId): Uint8Array {
  return concatBytes(utf8('truhe/favourites/v1'), canonicalBytes({ team: s.team, share, account: s.keys.account }));
}

async function load(s: Session, share: ShareId): Promise<Set<string>> {
  if (s.guest) return new Set();
  const sealed = await s.store.getSealedFavourites(share);
  if (!sealed) return new Set();
  const key = favKey(s);
  try {
    return new Set(favSchema.parse(JSON.parse(fromUtf8(aeadOpen(key, sealed, favAd(s, share))))).items);
  } catch (e) {
    throw new VaultError('TAMPERED', 'favourites: the sealed favourites of this share could not be opened', { cause: e });
  } finally {
    wipe(key);
  }
}

function cached(s: Session, share: ShareId): Promise<Set<string>> {
  let m = perSession.get(s);
  if (!m) perSession.set(s, (m = new Map()));
  let p = m.get(share);
  if (!p) {
    p = load(s, share);
    m.set(share, p);
    p.catch(() => m!.delete(share)); // a failed read is tried again next time
  }
  return p;
}

/** The item ids starred in this share on this device (any order). Rejects TAMPERED if the sealed row does not open. */
export async function favourites(s: Session, share: string): Promise<string[]> {
  return [...(await cached(s, share as ShareId))];
}

/** Stars (`on`) or un-stars an item; sealed and stored before it resolves (memory only for a guest). */
export async function setFavourite(s: Session, share: string, item: string, on: boolean): Promise<void> {
  if (!item || item.length > 200) throw new VaultError('BAD_FORMAT', 'setFavourite: not an item id');
  const set = await cached(s, share as ShareId);
  if (set.has(item) === on) return;
  if (on) set.add(item);
  else set.delete(item);
  if (s.guest) return;
  const key = favKey(s);
  let sealed: Uint8Array;
  try {
    sealed = aeadSeal(key, utf8(JSON.stringify({ v: FAV_VERSION, items: [...set] })), favAd(s, share as ShareId));
  } finally {
    wipe(key);
  }
  await s.store.putSealedFavourites(share as ShareId, sealed);
}

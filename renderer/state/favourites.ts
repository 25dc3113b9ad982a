/**
 * The favourites slice: the starred item ids of the current share (from VaultApi.favourites,
 * sealed on this device by the core), the "Favourites only" filter, and item counts per share
 * for the sidebar. Memory only; cleared on lock.
 */
import { create } from 'zustand';
import { showError } from './notice-store.js';
import { onLock, useSession } from './session-store.js';

interface FavouritesState {
  /** The share `ids` belong to. */
  share: string | null;
  ids: ReadonlySet<string>;
  only: boolean;
  /** Items per share, filled as shares are listed (sidebar counts). */
  counts: Readonly<Record<string, number>>;
}

const empty: FavouritesState = { share: null, ids: new Set(), only: false, counts: {} };
export const useFavourites = create<FavouritesState>()(() => ({ ...empty }));
onLock(() => useFavourites.setState({ ...empty, ids: new Set(), counts: {} }));

/** Loads the current share's favourites (called when the shown share changes). */
export async function loadFavourites(share: string): Promise<void> {
  const vault = useSession.getState().vault;
  if (!vault) return;
  try {
    const ids = new Set(await vault.favourites(share));
    if (useSession.getState().currentShare === share) useFavourites.setState({ share, ids });
  } catch (e) {
    if (useSession.getState().vault) showError(e);
  }
}

/** Stars or un-stars an item of the current share; the star shows at once and is undone if storing fails. */
export async function toggleFavourite(share: string, item: string): Promise<void> {
  const vault = useSession.getState().vault;
  if (!vault) return;
  const before = useFavourites.getState();
  const on = !(before.share === share && before.ids.has(item));
  const next = new Set(before.share === share ? before.ids : []);
  if (on) next.add(item);
  else next.delete(item);
  useFavourites.setState({ share, ids: next });
  try {
    await vault.setFavourite(share, item, on);
  } catch (e) {
    useFavourites.setState((s) => {
      if (s.share !== share) return s;
      const undo = new Set(s.ids);
      if (on) undo.delete(item);
      else undo.add(item);
      return { ids: undo };
    });
    if (useSession.getState().vault) showError(e);
  }
}

/** The sidebar's count of a share, set by every listing of it (vault-actions.loadItems)… */
export function setCount(share: string, n: number): void {
  useFavourites.setState((f) => (f.counts[share] === n ? f : { counts: { ...f.counts, [share]: n } }));
}

/** …and the other shares are counted once, one after another, after the share list loads. */
export async function countShares(shares: readonly string[]): Promise<void> {
  for (const share of shares) {
    const vault = useSession.getState().vault;
    if (!vault) return;
    if (useFavourites.getState().counts[share] !== undefined) continue;
    try {
      const n = (await vault.listItems(share)).length;
      useFavourites.setState((f) => (f.counts[share] !== undefined ? f : { counts: { ...f.counts, [share]: n } }));
    } catch {
      // No count for a share that cannot be listed now; its listing shows the error when opened.
    }
  }
}

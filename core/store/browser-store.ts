/**
 * The store factory the renderer hands to `createLauncher`: Dexie on the page's own IndexedDB.
 * It lives in core/store/ so the renderer never imports dexie itself (scripts/check-boundaries.js).
 */
import { DexieVaultStore } from './dexie-store.js';
import type { VaultStore } from './vault-store.js';

/** Returns a factory for this device's store in the database `name` (default `truhe`). */
export function browserStoreFactory(name = 'truhe'): () => VaultStore {
  return () => new DexieVaultStore(name);
}

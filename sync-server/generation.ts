/**
 * The relay data's generation (DESIGN.md §9), read once per storage and attached to every share
 * head the relay serves (pull answers, `changed` notices). A backend without one adds nothing.
 */
import type { RelayContext } from './context.js';
import type { RelayStorage } from './storage/types.js';

const cache = new WeakMap<RelayStorage, Promise<string | undefined>>();

export async function generationTag(ctx: Pick<RelayContext, 'storage'>): Promise<{ generation?: string }> {
  let p = cache.get(ctx.storage);
  if (!p) {
    p = ctx.storage.generation ? ctx.storage.generation() : Promise.resolve(undefined);
    cache.set(ctx.storage, p);
    p.catch(() => cache.delete(ctx.storage)); // a failed read (database down) is tried again next time
  }
  const g = await p;
  return g ? { generation: g } : {};
}

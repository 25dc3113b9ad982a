/**
 * Pull (DESIGN.md §5): records changed after the share's last seq, page by page. Each record
 * is verified (signature against the verified member list) before it is stored; one that
 * fails is reported and skipped, never shown. A tombstone removes the item's ciphertext and
 * its chunks locally. A local edit not yet pushed is never overwritten: its push will meet
 * the newer head and be merged (outbox.ts).
 */
import { VaultError, isVaultError } from '../errors.js';
import type { ItemId, ShareId } from '../ids.js';
import type { EngineDeps } from './engine-deps.js';
import type { PulledAction, StoredRecord } from '../store/vault-store.js';
import { pullPage, type PulledRecord } from './relay-api.js';
import { isRollback, recoverRollback } from './rollback.js';

const PAGE = 500;

/**
 * Pull a share until the relay has no more. `from`: the share's stored lastSeq if the caller
 * knows it (saves a read; a lower value only re-fetches records that are then skipped). Each
 * page is verified first, then applied with its new seq in ONE store transaction, and `changed`
 * fires as soon as it is stored. Returns the records applied and the lastSeq now stored.
 */
export async function pullShare(d: EngineDeps, share: ShareId, from?: number): Promise<{ applied: number; lastSeq: number; rolledBack?: boolean; generation?: string }> {
  const state = await d.store.getSyncState(share);
  let since = Math.max(from ?? 0, state?.lastSeq ?? 0);
  let applied = 0;
  let first = true;
  let generation: string | undefined;
  for (;;) {
    const before = since;
    const page = await pullPage(d.conn, share, since, PAGE);
    if (first) {
      first = false;
      if (isRollback(since, state?.generation, page.head, page.generation)) {
        // The relay went back in time: upload again what it lacks, then pull everything anew.
        const again = await recoverRollback(d, share, page.generation);
        d.hooks.rolledBack?.(share, again);
        d.hooks.changed(share);
        const r = await pullShare(d, share, 0);
        return { ...r, applied: applied + r.applied, rolledBack: true };
      }
      if (page.generation && state && state.generation !== page.generation) await d.store.patchSyncState(share, { generation: page.generation });
      generation = page.generation;
    }
    const verified: StoredRecord[] = [];
    for (const rec of page.records) {
      since = Math.max(since, rec.seq);
      if (await verifyPulled(d, share, rec)) verified.push({ share, envelope: rec.envelope, seq: rec.seq });
    }
    const gone = verified.filter((r) => r.envelope.kind === 'tombstone').map((r) => ({ item: r.envelope.item, version: r.envelope.version }));
    if (gone.length > 0) await d.store.markDeleted(share, gone); // re-deleted should a restored relay bring them back
    if (page.records.length === 0) since = Math.max(since, page.head);
    if (verified.length > 0 || since !== before || before === 0) {
      const n = await d.store.applyPulled(share, verified, since, decidePulled);
      applied += n;
      if (n > 0) d.hooks.changed(share); // show data as soon as it is stored
    }
    if (!page.more) break;
  }
  // The first pull of a share creates its state: remember the generation now, not a pull later
  // (a restore in between would otherwise go unnoticed once the head has caught up again).
  if (generation && !state) await d.store.patchSyncState(share, { generation });
  return { applied, lastSeq: since, ...(generation ? { generation } : {}) };
}

/** Signature check against the verified member list; a record that fails is reported, never stored. */
async function verifyPulled(d: EngineDeps, share: ShareId, rec: PulledRecord): Promise<boolean> {
  const env = rec.envelope;
  try {
    await d.hooks.verify(share, env);
    return true;
  } catch (e) {
    if (isVaultError(e, 'RELAY_UNREACHABLE')) throw e; // not judged: the pull stops here and resumes on reconnect
    d.hooks.error(new VaultError(isVaultError(e) ? e.code : 'TAMPERED', `pullShare: record ${env.item} v${env.version} rejected: ${e instanceof Error ? e.message : ''}`, { cause: e }));
    return false;
  }
}

/** What to do with a verified pulled record given the local head (pure; runs inside the store transaction). */
export function decidePulled(local: StoredRecord | undefined, incoming: StoredRecord): PulledAction {
  const env = incoming.envelope;
  if (local && local.seq === undefined) return 'skip'; // pending local edit wins until its push is resolved
  if (local && local.envelope.version > env.version) return 'skip';
  if (env.kind === 'tombstone') return local ? 'delete' : 'skip';
  if (local && local.envelope.version === env.version && local.seq === incoming.seq) return 'skip';
  return 'store';
}

/** Delete an item's records and its chunks from this device (tombstone or local delete). */
export async function removeLocally(d: Pick<EngineDeps, 'store'>, share: ShareId, item: ItemId): Promise<void> {
  const hashes = new Set<string>();
  const head = await d.store.getRecord(share, item);
  for (const r of [...(head ? [head] : []), ...(await d.store.history(share, item))]) for (const h of r.envelope.chunks) hashes.add(h);
  await d.store.deleteItem(share, item);
  if (hashes.size > 0) await d.store.deleteChunks([...hashes]);
}

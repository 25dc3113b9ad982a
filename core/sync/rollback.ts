/**
 * The relay went back in time (DESIGN.md §9): restored from an older backup, a lost WAL, or a
 * hostile relay. Seen as a share head below what this device already pulled, or as a new relay
 * generation. Then the relay may lack acknowledged changes, and it will hand out sequence numbers
 * this device believes it has seen. So, for the share:
 *   1. list what the relay holds (every item's head, from seq 0);
 *   2. every item whose local version the relay lacks is written again on top of the relay's head
 *      (hooks.reupload: the same content re-sealed, or merged / kept as a conflicted copy when the
 *      relay's head went elsewhere meanwhile) and queued in the outbox — signed records, so the
 *      relay cannot tell them from fresh pushes;
 *   3. every item this device saw deleted (store.markDeleted) that the relay holds alive at an
 *      older version is deleted again (a tombstone on top of the relay's head, queued);
 *   4. the pull position is reset to 0 under the new generation, so nothing is skipped.
 * Returns how many items were queued again (the user is told).
 */
import type { ShareId } from '../ids.js';
import type { RecordEnvelope } from '../model/record.js';
import type { StoredRecord } from '../store/vault-store.js';
import type { EngineDeps } from './engine-deps.js';
import { resolveAgainst } from './outbox.js';
import { fetchHistory, pullPage, type PulledRecord } from './relay-api.js';

/** Did the relay go back? `seen`: the highest seq this device pulled; `known`: the generation it pulled under. */
export function isRollback(seen: number, known: string | undefined, head: number, generation: string | undefined): boolean {
  if (known !== undefined && generation !== undefined && known !== generation) return true;
  return head < seen;
}

async function relayHeads(d: EngineDeps, share: ShareId): Promise<Map<string, PulledRecord>> {
  const heads = new Map<string, PulledRecord>();
  let since = 0;
  for (;;) {
    const page = await pullPage(d.conn, share, since, 500);
    for (const r of page.records) {
      heads.set(r.envelope.item, r);
      since = Math.max(since, r.seq);
    }
    if (!page.more || page.records.length === 0) return heads;
  }
}

/** Same version and signature: the relay holds exactly this record. */
const sameRecord = (a: RecordEnvelope, b: RecordEnvelope) => a.version === b.version && a.sig === b.sig;

/** Does the relay still hold `local` (an acknowledged version) in the item's history? */
async function relayKept(d: EngineDeps, share: ShareId, local: RecordEnvelope): Promise<boolean> {
  return (await fetchHistory(d.conn, share, local.item)).some((r) => sameRecord(r.envelope, local));
}

/** Is the relay's `head` the very record `pending` was written on (unknown locally: assume so)? */
async function sameBase(d: EngineDeps, share: ShareId, pending: RecordEnvelope, head: RecordEnvelope): Promise<boolean> {
  const base = (await d.store.history(share, pending.item)).find((r) => r.envelope.version === pending.baseVersion);
  return !base || sameRecord(base.envelope, head);
}

async function needsReupload(d: EngineDeps, share: ShareId, local: StoredRecord, head: PulledRecord | undefined): Promise<boolean> {
  const env = local.envelope;
  if (env.kind === 'tombstone') return false; // a local delete not yet pushed: the outbox sends it
  if (head && sameRecord(head.envelope, env)) return false;
  // A pending edit written on top of what the relay still has (the same version AND signature —
  // after a restore another device may have re-uploaded a different record under that version
  // number): the outbox pushes it as usual.
  if (local.seq === undefined && head && head.envelope.version === env.baseVersion && (await sameBase(d, share, env, head.envelope))) return false;
  if (head && head.envelope.version > env.version && local.seq !== undefined) return !(await relayKept(d, share, env));
  return true;
}

/** Steps 1–4 above. `generation`: the relay's new generation (stored with the reset position). */
export async function recoverRollback(d: EngineDeps, share: ShareId, generation: string | undefined): Promise<number> {
  const heads = await relayHeads(d, share);
  let again = 0;
  for (const local of await d.store.listRecords(share)) {
    const head = heads.get(local.envelope.item);
    if (!(await needsReupload(d, share, local, head))) continue;
    if (head) await d.hooks.verify(share, head.envelope);
    // Atomic against a local edit saved meanwhile (outbox.ts resolveAgainst); the re-upload
    // starts from the local head, so it holds every queued edit of the item.
    const stored = head ? { share, envelope: head.envelope, seq: head.seq } : undefined;
    await resolveAgainst(d, share, local.envelope, stored, (cur) => d.hooks.reupload(share, cur, head?.envelope ?? null));
    again++;
  }
  // Items this device saw deleted that the relay holds alive at an older version: delete again.
  for (const g of await d.store.listDeleted(share)) {
    const head = heads.get(g.item);
    if (!head || head.envelope.kind === 'tombstone' || head.envelope.version >= g.version) continue;
    if (await d.store.getRecord(share, g.item)) continue; // back locally for another reason: leave it to the records above
    await d.hooks.verify(share, head.envelope);
    const tomb = await d.hooks.redelete(share, head.envelope);
    await d.store.putWithOutbox({ share, envelope: tomb }, { op: 'push', share, item: g.item, version: tomb.version }, null);
    again++;
  }
  const state = await d.store.getSyncState(share);
  await d.store.putSyncState({ ...(state ?? { share }), share, lastSeq: 0, ...(generation ? { generation } : {}) });
  return again;
}

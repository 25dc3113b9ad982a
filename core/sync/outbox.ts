/**
 * The outbox (DESIGN.md §5): every local change was written to it in the same store
 * transaction as the local record (`store.putWithOutbox`). Draining sends entries in order
 * while online. It is idempotent: an entry is deleted only after the relay's answer, and the
 * relay answers an identical retry of a push with the same seq, so a retry after a lost answer
 * is not applied twice. A stale push is rebased (merge.ts via the vault hooks) and the result
 * goes back into the outbox in the same way, so a crash in the middle loses nothing.
 *
 * Entry ops:
 *   push    {share, item, version}  push that record version (files: their chunks first)
 *   request {share, payload}        a JSON request sent as is (share.create, log.append, …)
 */
import { VaultError, isVaultError, type VaultErrorCode } from '../errors.js';
import type { ItemId, ShareId } from '../ids.js';
import type { RecordEnvelope } from '../model/record.js';
import type { OutboxEntry, PushAck, StoredRecord, VaultStore } from '../store/vault-store.js';
import type { EngineDeps } from './engine-deps.js';
import { pushRecord, pushRecords } from './relay-api.js';
import { uploadChunks } from './transfers.js';

const MAX_PASSES = 1_000_000;
/** Refusals of a push that mean this account lost write access to the share (blocked, removed, read-only). */
const NO_ACCESS: ReadonlySet<string> = new Set(['NOT_ALLOWED', 'NOT_FOUND', 'MEMBER_BLOCKED', 'READ_ONLY']);

/**
 * The share's lastSeq after our push got `seqs`: if they directly follow it, nothing else
 * happened in between, so it moves on without a pull; otherwise it stays (a pull follows).
 */
function advanceOver(seqs: number[]): (lastSeq: number) => number {
  const sorted = [...seqs].sort((a, b) => a - b);
  return (last) => (sorted[0] === last + 1 && sorted.every((x, i) => x === sorted[0]! + i) ? sorted[sorted.length - 1]! : last);
}

/**
 * `fresh`: envelopes this device has just written with their outbox entry (id → envelope), so
 * the push need not read them back. `seen`: told the share's lastSeq after an acknowledged push.
 */
export interface DrainOptions {
  fresh?: Map<number, RecordEnvelope>;
  seen?: (share: ShareId, lastSeq: number) => void;
}

/** Records per push request (the relay takes up to 500; smaller keeps frames small). */
const BATCH = 100;

/**
 * Many queued note/tombstone pushes of one share in ONE request (the relay applies a push
 * all-or-nothing). Returns how many entries it settled; 0 = not applicable or a conflict, in
 * which case the caller goes one by one (and rebases the stale one).
 */
async function pushBatch(d: EngineDeps, entries: OutboxEntry[], o: DrainOptions): Promise<number> {
  const first = entries[0];
  if (!first || first.op !== 'push') return 0;
  const batch: { entry: OutboxEntry; env: RecordEnvelope }[] = [];
  const items = new Set<string>();
  let chars = 0;
  for (const e of entries) {
    if (e.op !== 'push' || e.share !== first.share || !e.item || e.version === undefined || items.has(e.item)) break;
    const rec = freshRecord(o, e) ?? (await findVersion(d.store, e.share, e.item, e.version));
    if (!rec || rec.seq !== undefined || rec.envelope.kind === 'file') break;
    const env = await current(d, e, rec.envelope, o);
    chars += env.body.length + 512;
    if (chars > 1024 * 1024 && batch.length > 0) break; // keep the frame well under the 2 MiB limit
    items.add(e.item);
    batch.push({ entry: e, env });
  }
  if (batch.length === 0) return 0;
  if (batch.length === 1) {
    await pushOne(d, batch[0]!.entry, batch[0]!.env, o); // handles a conflict (rebase) itself
    return 1;
  }
  const res = await pushRecords(d.conn, first.share, batch.map((b) => b.env));
  if (!res.ok) return 0;
  await settle(d, first.share, batch.map(({ entry, env }, i) => ({ envelope: env, seq: res.seqs[i]!, outboxId: entry.id })), o);
  return batch.length;
}

/** Record, outbox entry and seq of acknowledged pushes in one store transaction. */
async function settle(d: EngineDeps, share: ShareId, acks: PushAck[], o: DrainOptions): Promise<void> {
  const last = await d.store.ackPushes(share, acks, advanceOver(acks.map((a) => a.seq)));
  const gone = acks.filter((a) => a.envelope.kind === 'tombstone').map((a) => ({ item: a.envelope.item, version: a.envelope.version }));
  if (gone.length > 0) await d.store.markDeleted(share, gone); // re-deleted should a restored relay bring them back
  for (const a of acks) o.fresh?.delete(a.outboxId);
  if (last !== undefined) o.seen?.(share, last);
}

/** The envelope written with this entry, if this device has just written it (no read back). */
function freshRecord(o: DrainOptions, e: OutboxEntry): StoredRecord | undefined {
  const env = e.item === undefined ? undefined : o.fresh?.get(e.id);
  return env && env.item === e.item && env.version === e.version ? { share: e.share, envelope: env } : undefined;
}

async function findVersion(store: VaultStore, share: ShareId, item: ItemId, version: number): Promise<StoredRecord | undefined> {
  const head = await store.getRecord(share, item);
  if (head?.envelope.version === version) return head;
  return (await store.history(share, item)).find((r) => r.envelope.version === version);
}

/** Relay refusals that say "not now" rather than "never": the entry is kept and retried later. */
export const RELAY_BUSY: ReadonlySet<VaultErrorCode> = new Set(['STORAGE_FULL', 'STORAGE_UNAVAILABLE', 'RELAY_OVERLOADED', 'RELAY_QUOTA', 'TEAM_QUOTA']);
export function isRelayBusy(e: unknown): e is VaultError {
  return isVaultError(e) && RELAY_BUSY.has(e.code);
}

/** Refusals for a storage cap (the relay's or the team's): deleting data makes room. */
const NEEDS_ROOM: ReadonlySet<VaultErrorCode> = new Set(['RELAY_QUOTA', 'TEAM_QUOTA']);

/**
 * After entries[0] was refused for a storage cap: pushes the deletes (tombstones) queued after
 * it, in order, for items no earlier kept entry touches; stops at the first other kind of entry
 * (a share or log request must keep its order). Returns how many went.
 */
async function sendDeletes(d: EngineDeps, entries: OutboxEntry[], o: DrainOptions): Promise<number> {
  const held = new Set<string>([entries[0]?.item ?? '']);
  let sent = 0;
  for (const e of entries.slice(1)) {
    if (e.op !== 'push' || !e.item || e.version === undefined) break;
    const rec = held.has(e.item) ? undefined : (freshRecord(o, e) ?? (await findVersion(d.store, e.share, e.item, e.version)));
    if (!rec || rec.seq !== undefined || rec.envelope.kind !== 'tombstone') {
      held.add(e.item);
      continue;
    }
    try {
      await pushOne(d, e, rec.envelope, o);
      sent++;
    } catch {
      break;
    }
  }
  return sent;
}

/** Send every outbox entry the relay accepts; stops (throws RELAY_UNREACHABLE) when offline. */
export async function drainOutbox(d: EngineDeps, o: DrainOptions = {}): Promise<void> {
  const skipped = new Set<number>();
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    // Both read-only: the count does not hold up the listing (and the push after it).
    const [listed, pending] = await Promise.all([d.store.listOutbox(skipped.size + BATCH), d.store.countOutbox()]);
    const entries = listed.filter((e) => !skipped.has(e.id));
    const entry = entries[0];
    d.status.setPending(pending);
    if (!entry) {
      o.fresh?.clear();
      return;
    }
    try {
      if ((await pushBatch(d, entries, o)) > 0) continue;
      await sendEntry(d, entry, o);
    } catch (e) {
      if (isVaultError(e, 'RELAY_UNREACHABLE')) throw e;
      if (isRelayBusy(e)) {
        // The relay could not store it now (disk full, team storage down, overloaded): nothing is
        // dropped; the drain stops here and the engine tries again later, in order.
        await d.store.updateOutbox(entry.id, { attempts: entry.attempts + 1 });
        // At a storage cap, deletes queued behind it still go (they make the room it needs); then try again.
        if (NEEDS_ROOM.has(e.code) && (await sendDeletes(d, entries, o)) > 0) continue;
        throw e;
      }
      const err = isVaultError(e) ? e : new VaultError('INTERNAL', `drainOutbox: ${entry.op} failed`, { cause: e });
      skipped.add(entry.id);
      if (entry.op === 'push' && NO_ACCESS.has(err.code)) {
        // This account may no longer write to the share: retrying forever would only show
        // "1 change waiting". The local version stays (undelivered.ts: told, exportable).
        await d.store.deleteOutbox(entry.id);
        d.hooks.undelivered?.(entry.share);
        continue;
      }
      await d.store.updateOutbox(entry.id, { attempts: entry.attempts + 1 });
      // A request the relay refused will be refused again: report it and drop it. A record
      // push stays (the edit is kept locally and retried on the next connection).
      if (entry.op !== 'push') await d.store.deleteOutbox(entry.id);
      d.hooks.error(new VaultError(err.code, `drainOutbox: ${entry.op} ${entry.item ?? ''} not accepted: ${err.message}`, { cause: err }));
    }
  }
}

async function sendEntry(d: EngineDeps, entry: OutboxEntry, o: DrainOptions): Promise<void> {
  if (entry.op === 'request') {
    const msg = JSON.parse(entry.payload ?? '{}') as Record<string, unknown>;
    await d.conn.request(msg);
    await d.store.deleteOutbox(entry.id);
    return;
  }
  if (entry.op !== 'push' || !entry.item || entry.version === undefined) {
    await d.store.deleteOutbox(entry.id);
    throw new VaultError('BAD_FORMAT', `drainOutbox: unknown outbox entry ${entry.op}`);
  }
  const rec = freshRecord(o, entry) ?? (await findVersion(d.store, entry.share, entry.item, entry.version));
  if (!rec || rec.seq !== undefined) {
    await d.store.deleteOutbox(entry.id); // superseded by a rebase, or already acknowledged
    return;
  }
  await pushOne(d, entry, rec.envelope, o);
}

/**
 * The envelope to push for `entry`: re-sealed under the share's newest epoch if it was written
 * under an older one (hooks.freshen), stored in place of the old one (same version; a file's
 * old chunks, sealed under the old file key and never referenced again, are deleted).
 */
async function current(d: EngineDeps, entry: OutboxEntry, env: RecordEnvelope, o: DrainOptions): Promise<RecordEnvelope> {
  const fresh = await d.hooks.freshen?.(entry.share, env);
  if (!fresh) return env;
  await d.store.putRecord({ share: entry.share, envelope: fresh });
  const kept = new Set(fresh.chunks);
  const gone = env.chunks.filter((h) => !kept.has(h));
  if (gone.length > 0) await d.store.deleteChunks(gone);
  if (o.fresh?.has(entry.id)) o.fresh.set(entry.id, fresh);
  return fresh;
}

async function pushOne(d: EngineDeps, entry: OutboxEntry, envIn: RecordEnvelope, o: DrainOptions): Promise<void> {
  const share = entry.share;
  const env = await current(d, entry, envIn, o);
  if (env.kind === 'file') await uploadChunks(d, share, env, await d.hooks.chunkSizes?.(share, env));
  let res;
  try {
    res = await pushRecord(d.conn, share, env);
  } catch (e) {
    // The relay lost (swept, or never got) a chunk between our upload and this push: it refuses
    // the push as a whole, so upload what it lacks and push once more.
    if (!isVaultError(e, 'CHUNK_MISSING') || env.kind !== 'file') throw e;
    await uploadChunks(d, share, env, await d.hooks.chunkSizes?.(share, env));
    res = await pushRecord(d.conn, share, env);
  }
  if (res.ok) {
    await settle(d, share, [{ envelope: env, seq: res.seq, outboxId: entry.id }], o);
    return;
  }
  if (!res.head) throw new VaultError('STALE_VERSION', `drainOutbox: push of ${env.item} refused as stale without a head`);
  const head = res.head;
  await d.hooks.verify(share, head.envelope);
  const stored = { share, envelope: head.envelope, seq: head.seq };
  await resolveAgainst(d, share, env, stored, async (local) => {
    const r = await d.hooks.rebase(share, local, head.envelope);
    return [...r.item, ...r.copies];
  });
  d.hooks.changed(share);
}

/**
 * Replace the item's local versions by `head` plus the rebase of the local head onto it. The
 * rebase starts from the local head, so it holds every queued edit of the item (their outbox
 * entries go). Atomic against local writes (store.replaceItem): an edit saved while the rebase
 * ran makes it start again from that edit instead of being thrown away.
 */
export async function resolveAgainst(
  d: Pick<EngineDeps, 'store'>, share: ShareId, pushed: RecordEnvelope, head: StoredRecord | undefined,
  resolve: (local: RecordEnvelope) => Promise<RecordEnvelope[]>,
): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const local = (await d.store.getRecord(share, pushed.item))?.envelope;
    if (!local) {
      // Nothing local to lose (the item left this device meanwhile): store the outcome as is.
      if (head) await d.store.putRecord(head);
      for (const r of await resolve(pushed)) await d.store.putWithOutbox({ share, envelope: r }, { op: 'push', share, item: r.item, version: r.version });
      return;
    }
    const out = await resolve(local);
    if (await d.store.replaceItem(share, pushed.item, local, head, out)) return;
  }
  throw new VaultError('INTERNAL', `drainOutbox: item ${pushed.item} kept changing locally while its conflict was resolved`);
}

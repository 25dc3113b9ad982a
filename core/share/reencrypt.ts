/**
 * "Re-encrypt now" (eager rotation, DESIGN.md §4): every item of the share whose head is under
 * an older epoch is re-sealed under the newest epoch as a new version and pushed like an edit
 * (outbox, rebase on conflict). Notes get a fresh item key; files get a fresh item key, so a
 * fresh file key and freshly sealed chunks (read and verified chunk by chunk, never the whole
 * file in memory). Then `keys.drop{share, below: epoch}` makes the relay delete every wrapped
 * key of the older epochs and every older record version under them, with the chunks only they
 * referenced: a later copy of the relay's data plus an old code or an old share key reveals
 * nothing. If another device wrote under an old epoch meanwhile (EPOCH_IN_USE), the pass runs
 * again, up to MAX_PASSES times.
 *
 * Resumable: each re-sealed version goes into the store and the outbox in one transaction, and
 * progress ({epoch, done, total}) is kept in the share's sync state; re-running skips items
 * already at the newest epoch.
 */
import { VaultError, isVaultError } from '../errors.js';
import { parseShareId, type ItemId, type ShareId } from '../ids.js';
import { wipe } from '../crypto/wipe.js';
import { openRecord, sealRecord, type RecordEnvelope } from '../model/item.js';
import { importFile as sealFile, openFileRecord } from '../model/file.js';
import { dropOldKeys } from '../sync/relay-api.js';
import { FILE_CHUNK_SIZE, readFile, type FileReader } from '../vault/files.js';
import type { SyncState } from '../store/vault-store.js';
import type { Progress } from '../vault-api.js';
import type { LocalChangeSink, SealingPort, ShareStatePort, VaultParts } from '../vault/ports.js';
import { requireAdmin, type AdminCheck } from './log-append.js';

/** What re-sealing one record under the newest epoch takes (its file is read whole, chunk by chunk). */
export type Resealer = SealingPort & FileReader;

/** What "re-encrypt now" takes. */
export type Reencrypter = Resealer & AdminCheck & Pick<ShareStatePort, 'syncLog'> & Pick<LocalChangeSink, 'afterLocalChange'> & Pick<VaultParts, 'engine'>;

export interface ReencryptProgress {
  epoch: number;
  done: number;
  total: number;
}
type State = SyncState & { reencrypt?: ReencryptProgress };

async function saveProgress(s: Pick<VaultParts, 'store'>, share: ShareId, p: ReencryptProgress | undefined): Promise<void> {
  const cur = ((await s.store.getSyncState(share)) ?? { share, lastSeq: 0 }) as State;
  const next: State = { ...cur };
  if (p) next.reencrypt = p;
  else delete next.reencrypt;
  await s.store.putSyncState(next);
}

/** Progress of an unfinished re-encryption of `share`, if any. */
export async function reencryptProgress(s: Pick<VaultParts, 'store'>, share: ShareId): Promise<ReencryptProgress | undefined> {
  return ((await s.store.getSyncState(share)) as State | undefined)?.reencrypt;
}

/**
 * `env`'s content sealed under the share's newest epoch as `version` on `baseVersion` (by default
 * a new version on top of it): notes with a fresh item key, files with a fresh file key and every
 * chunk sealed anew, so nothing of the result opens with an older epoch's key.
 */
export async function resealUnderNewestEpoch(s: Resealer, share: ShareId, env: RecordEnvelope, version = env.version + 1, baseVersion = env.version): Promise<RecordEnvelope> {
  const ctx = await s.sealCtx(share, env.item as ItemId, version, baseVersion);
  if (env.kind === 'file') {
    // fresh item key → fresh file key → every chunk sealed anew (the old chunks go with keys.drop)
    const { meta, fileKey } = await openFileRecord(s.openCtx(share), env);
    wipe(fileKey);
    const { envelope } = await sealFile(ctx, readFile(s, share, env.item), {
      name: meta.name, mime: meta.mime, updatedAt: meta.updatedAt, chunkSize: FILE_CHUNK_SIZE, conflictOf: meta.conflictOf,
    }, (chunk) => s.store.putChunk(share, chunk.hash, chunk.bytes));
    return envelope;
  }
  const { payload, itemKey } = await openRecord(s.openCtx(share), env, 'note');
  try {
    return sealRecord(ctx, 'note', payload, env.chunks);
  } finally {
    wipe(itemKey, payload);
  }
}

/** Passes of re-seal + drop before giving up when other devices keep writing under an old epoch. */
const MAX_PASSES = 3;

export async function reencryptNow(s: Reencrypter, shareIn: string, onProgress?: Progress, opts: { stopAfter?: number } = {}): Promise<void> {
  const share = parseShareId(shareIn);
  if (s.conn.state !== 'online') throw new VaultError('RELAY_UNREACHABLE', 'reencryptNow: needs a connection to the relay');
  for (let pass = 1; ; pass++) {
    const epoch = await resealPass(s, share, onProgress, opts);
    if (epoch === 0) break;
    try {
      await dropOldKeys(s.conn, share, epoch);
      break;
    } catch (e) {
      if (!isVaultError(e, 'EPOCH_IN_USE') || pass >= MAX_PASSES) throw e;
    }
  }
  await saveProgress(s, share, undefined);
}

/** Re-seals every item under an older epoch and waits until the relay has them all; returns the epoch. */
async function resealPass(s: Reencrypter, share: ShareId, onProgress: Progress | undefined, opts: { stopAfter?: number }): Promise<number> {
  const state = await s.syncLog(share);
  requireAdmin(s, state, 'reencryptNow');
  // Bring every item up to date first (and push what is queued), so nothing is re-sealed twice.
  s.engine.kickAll([share]);
  await s.engine.idle();
  const epoch = state.epoch;
  const all = (await s.store.listRecords(share)).filter((r) => r.envelope.kind !== 'tombstone');
  const todo = all.filter((r) => r.envelope.epoch < epoch);
  const total = all.length;
  let done = total - todo.length;
  await saveProgress(s, share, { epoch, done, total });
  onProgress?.(done, total);
  let sealed = 0;
  for (const r of todo) {
    if (opts.stopAfter !== undefined && sealed >= opts.stopAfter) throw new VaultError('CANCELLED', `reencryptNow: stopped after ${sealed} items (test hook)`);
    const env = await resealUnderNewestEpoch(s, share, r.envelope);
    await s.store.putWithOutbox({ share, envelope: env }, { op: 'push', share, item: env.item, version: env.version });
    sealed++;
    done++;
    if (done % 50 === 0 || done === total) {
      await saveProgress(s, share, { epoch, done, total });
      s.engine.kick();
    }
    onProgress?.(done, total);
  }
  await s.afterLocalChange(share);
  await s.engine.idle();
  if ((await s.store.listOutbox()).some((e) => e.share === share)) {
    throw new VaultError('RELAY_UNREACHABLE', 'reencryptNow: not every re-sealed item reached the relay yet; run it again to finish');
  }
  return epoch;
}

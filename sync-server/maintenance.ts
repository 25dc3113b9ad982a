/**
 * The maintenance sweep: expired (and future-stamped) rate-limit rows, then every team in turn:
 * its integrity check when due (storage.checkTeam) and its orphan chunks. Teams are visited one
 * at a time, yielding to the event loop between them, so a sweep over thousands of teams never
 * holds up requests or start-up; a damaged team is counted (and quarantined by the storage),
 * never the end of the sweep.
 */
import type { RelayContext } from './context.js';
import { FUTURE_SKEW_MS } from './rate-limit.js';
import { classifyStorageError } from './storage/storage-fault.js';

export interface SweepResult {
  authRows: number;
  orphanChunks: number;
  orphanBytes: number;
  /** Teams found damaged or unavailable in this sweep. */
  unavailable: number;
}

const yieldTurn = () => new Promise<void>((r) => setImmediate(r));

/** `stop.stopped`: set on shutdown; the walk ends after the team in hand. */
export async function walkTeams(ctx: RelayContext, stop: { stopped: boolean } = { stopped: false }): Promise<SweepResult> {
  const now = ctx.clock.now();
  const authRows = await ctx.storage.purgeAuthFailures(now - ctx.limits.failureRetentionMs, now + FUTURE_SKEW_MS);
  if (authRows) ctx.log.info({ event: 'rate_limit_rows_purged', count: authRows }, 'purged');
  let orphanChunks = 0, orphanBytes = 0, unavailable = 0;
  for (const team of await ctx.storage.listTeams()) {
    await yieldTurn();
    if (stop.stopped) break;
    try {
      if (ctx.storage.checkTeam && !(await ctx.storage.checkTeam(team))) {
        unavailable++;
        continue;
      }
      const r = await (await ctx.storage.openTeam(team))?.purgeOrphanChunks(now - ctx.limits.orphanGraceMs);
      orphanChunks += r?.chunks ?? 0;
      orphanBytes += r?.bytes ?? 0;
    } catch (e) {
      const f = classifyStorageError(e);
      if (!f) throw e;
      if (f.code === 'STORAGE_UNAVAILABLE') unavailable++;
      ctx.health.fault(f.code);
    }
  }
  if (orphanChunks) ctx.log.info({ event: 'orphan_chunks_purged', count: orphanChunks, bytes: orphanBytes }, 'purged');
  if (unavailable) ctx.log.error({ event: 'teams_unavailable', count: unavailable }, 'team databases unavailable');
  return { authRows, orphanChunks, orphanBytes, unavailable };
}

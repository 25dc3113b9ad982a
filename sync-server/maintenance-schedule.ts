/**
 * When maintenance runs (what it does: maintenance.ts): once right after start, then every
 * `sweepIntervalMs`, in the background and one walk at a time; start-up opens no team file, and
 * one damaged team is counted (and quarantined), never the end of the sweep or the process.
 */
import type { RelayContext } from './context.js';
import { walkTeams, type SweepResult } from './maintenance.js';

export interface MaintenanceSchedule {
  /** A sweep now, after the one running (Relay.maintenance()). */
  run(): Promise<SweepResult>;
  /** No further sweeps; a running walk ends after the team in hand. */
  stop(): Promise<void>;
}

export function scheduleMaintenance(ctx: RelayContext): MaintenanceSchedule {
  let sweeping: Promise<unknown> | null = null;
  const stopFlag = { stopped: false };
  const sweep = () => {
    if (sweeping) return;
    sweeping = walkTeams(ctx, stopFlag)
      .catch((e: unknown) => ctx.log.error({ event: 'maintenance_failed', err: { name: (e as Error)?.name } }, 'maintenance failed'))
      .finally(() => { sweeping = null; });
  };
  const first = setTimeout(sweep, 0);
  first.unref();
  const timer = setInterval(sweep, ctx.limits.sweepIntervalMs);
  timer.unref();
  return {
    async run() {
      await sweeping;
      return walkTeams(ctx);
    },
    async stop() {
      clearTimeout(first);
      clearInterval(timer);
      stopFlag.stopped = true;
      await sweeping;
    },
  };
}

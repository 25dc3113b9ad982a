/**
 * What the relay knows about its storage's health, for /healthz, /metrics and the log:
 * a full disk (red until a write succeeds again, or the probe finds room), and the count of
 * teams whose database is unavailable (degraded: every other team serves). A fault is logged
 * once per `logIntervalMs` per code with the number of requests it hit since — not per request.
 * Times are monotonic (performance.now()): a wall-clock jump neither silences nor repeats logs.
 */
import type { Logger } from 'pino';
import type { RelayCaps } from './caps.js';
import type { RelayMetrics } from './metrics.js';
import type { StorageFaultCode } from './storage/storage-fault.js';
import type { RelayStorage } from './storage/types.js';

export interface HealthReport {
  status: 200 | 503;
  body: string;
}

export class StorageHealth {
  /** Monotonic time of the last STORAGE_FULL answer; null when writes succeed again. */
  private fullAt: number | null = null;
  private readonly lastLogged = new Map<StorageFaultCode, number>();
  private readonly unlogged = new Map<StorageFaultCode, number>();

  constructor(
    private readonly storage: RelayStorage,
    private readonly metrics: RelayMetrics,
    private readonly log: Logger,
    private readonly logIntervalMs = 60_000,
    private readonly now: () => number = () => performance.now(),
    private readonly caps?: RelayCaps,
  ) {}

  /** A request failed with `code`: count it, remember a full disk, log at most once per interval. */
  fault(code: StorageFaultCode): void {
    this.metrics.storageFault(code);
    if (code === 'STORAGE_FULL') this.fullAt = this.now();
    const t = this.now();
    const last = this.lastLogged.get(code);
    const n = (this.unlogged.get(code) ?? 0) + 1;
    if (last !== undefined && t - last < this.logIntervalMs) {
      this.unlogged.set(code, n);
      return;
    }
    this.lastLogged.set(code, t);
    this.unlogged.set(code, 0);
    this.log.error({ event: 'storage_fault', code, requests: n }, code === 'STORAGE_FULL' ? 'disk full: writes refused' : 'team storage unavailable');
  }

  /** A write went through: the disk has room again. */
  writeOk(): void {
    if (this.fullAt === null) return;
    this.fullAt = null;
    this.log.info({ event: 'storage_recovered' }, 'storage writable again');
  }

  /**
   * 503 "failing: …" when the database does not answer or the disk is full (probe, or a write
   * refused within the last interval), 200 "degraded: N teams unavailable" when some teams'
   * files are damaged, else 200 "ok". Counts only, no ids.
   */
  async report(extra?: () => string | null): Promise<HealthReport> {
    try {
      await this.storage.ping?.();
    } catch (e) {
      const full = (e as { code?: string }).code === 'STORAGE_FULL';
      if (full) this.fullAt = this.now();
      return { status: 503, body: full ? 'failing: disk full\n' : 'failing: database\n' };
    }
    if (this.fullAt !== null && this.now() - this.fullAt < this.logIntervalMs) return { status: 503, body: 'failing: disk full\n' };
    const other = extra?.();
    if (other) return { status: 503, body: `failing: ${other}\n` };
    const bad = this.storage.health?.().unavailableTeams ?? 0;
    const usage = this.usageLines();
    if (bad > 0) return { status: 200, body: `degraded: ${bad} team${bad === 1 ? '' : 's'} unavailable\n${usage}` };
    const full = this.caps?.reached();
    if (full) return { status: 200, body: `degraded: ${full === 'teams' ? 'team' : 'storage'} cap reached\n${usage}` };
    return { status: 200, body: `ok\n${usage}` };
  }

  /** With caps set: "teams N of M" and "stored bytes N of M" (counts only). Empty without caps. */
  private usageLines(): string {
    const l = this.caps?.limits;
    if (!this.caps || !l || (l.maxTeams <= 0 && l.maxBytes <= 0)) return '';
    const u = this.caps.usage();
    const of = (max: number) => (max > 0 ? ` of ${max}` : '');
    return `teams ${u.teams}${of(l.maxTeams)}\nstored bytes ${u.bytes}${of(l.maxBytes)}\n`;
  }
}

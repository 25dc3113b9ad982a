/**
 * The process's open-file limit (soft RLIMIT_NOFILE, as `ulimit -n` sets it) and the budgets the
 * relay derives from it, so neither the number of teams nor of sockets can exhaust descriptors.
 */
import { readFileSync } from 'node:fs';

/** Soft descriptor limit from /proc/self/limits (Linux); `fallback` where it cannot be read. */
export function descriptorLimit(fallback = 1024): number {
  try {
    const m = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    if (!m) return fallback;
    return m[1] === 'unlimited' ? 1_048_576 : Number(m[1]);
  } catch {
    return fallback;
  }
}

/**
 * Budgets out of `limit` descriptors: 40 % for open team databases (3 descriptors each: file,
 * -wal, -shm), 40 % for client sockets, the rest for the global database, logs, listeners and
 * the database pool.
 */
export function descriptorBudget(limit = descriptorLimit()): { openTeams: number; connections: number } {
  return {
    openTeams: Math.max(4, Math.min(4096, Math.floor((limit * 0.4) / 3))),
    connections: Math.max(16, Math.floor(limit * 0.4)),
  };
}

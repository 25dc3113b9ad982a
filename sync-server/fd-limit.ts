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
 * Budgets out of `limit` descriptors: team databases get 40 % (3 descriptors each: file, -wal,
 * -shm; at most 1 000 open — an LRU, more buys little), a reserve of 5 % (at least 64) stays for
 * the global database, logs, listeners and the database pool, and client sockets get the rest.
 * ulimit -n 1024: 136 teams, 552 connections; 20 000: 1 000 teams, 16 000 connections.
 */
export function descriptorBudget(limit = descriptorLimit()): { openTeams: number; connections: number } {
  const openTeams = Math.max(4, Math.min(1000, Math.floor((limit * 0.4) / 3)));
  return { openTeams, connections: Math.max(16, limit - 3 * openTeams - Math.max(64, Math.floor(limit * 0.05))) };
}

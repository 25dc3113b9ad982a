/**
 * The operator's relay-wide caps (issue 15): at most `maxTeams` teams and `maxBytes` stored bytes
 * (chunks + record bodies of every team; 0 = no cap). Counting is the storage's running totals
 * (RelayStorage.usage: no scan per request); this module adds what requests have admitted but
 * not yet written, so writes racing each other cannot pass the cap together.
 */
import type { RelayUsage, RelayStorage } from './storage/types.js';

export interface CapLimits {
  maxTeams: number;
  maxBytes: number;
}

export class RelayCaps {
  /** Bytes admitted by requests whose write has not settled yet. */
  private pending = 0;
  constructor(private readonly storage: RelayStorage, readonly limits: CapLimits) {}

  usage(): RelayUsage {
    return this.storage.usage();
  }

  /** False when the relay holds its maximum of teams (checked again, exactly, by createTeam). */
  roomForTeam(): boolean {
    return this.limits.maxTeams <= 0 || this.usage().teams < this.limits.maxTeams;
  }

  /**
   * Runs `write` if `bytes` more fit under the byte cap (counting writes still in flight), else
   * returns null without calling it. Bytes freed by deletes count as soon as they are written.
   */
  async withBytes<T>(bytes: number, write: () => Promise<T>): Promise<T | null> {
    if (this.limits.maxBytes > 0 && bytes > 0 && this.usage().bytes + this.pending + bytes > this.limits.maxBytes) return null;
    this.pending += bytes;
    try {
      return await write();
    } finally {
      this.pending -= bytes;
    }
  }

  /** Which cap is reached, for /healthz (null: room left or no caps). */
  reached(): 'teams' | 'bytes' | null {
    const u = this.usage();
    if (this.limits.maxBytes > 0 && u.bytes >= this.limits.maxBytes) return 'bytes';
    if (this.limits.maxTeams > 0 && u.teams >= this.limits.maxTeams) return 'teams';
    return null;
  }
}

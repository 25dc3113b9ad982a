/**
 * What the team operations (team.ts, checkpoints.ts) take: the few pieces of an unlocked vault
 * they use, not the Session (which implements this and wires them). No import of session.ts, so
 * no cycle.
 */
import type { TeamId } from '../ids.js';
import type { AccountKeys } from '../model/account.js';
import type { Clock } from '../sync/clock.js';
import type { Connection } from '../sync/connection.js';
import type { StatusHub } from '../sync/status.js';
import type { ShareState } from './membership.js';
import type { TeamRoster } from './team-roster.js';

export interface TeamPorts {
  readonly team: TeamId;
  readonly keys: AccountKeys;
  readonly conn: Connection;
  readonly clock: Clock;
  readonly roster: TeamRoster;
  readonly status: StatusHub;
  readonly relayUrl: string;
  /** Verified share states (for checkpoints). */
  readonly shares: ReadonlyMap<string, ShareState>;
  /** Blocks members the team removed in every share this account administers. */
  blockRemovedInShares(): Promise<void>;
}

/** Turns verified membership-log entries into i18n keys and values for the timeline (pure). */
import type { ActivityEntry } from '../../../core/vault-api.js';

export interface TimelineLine {
  index: number;
  at: number;
  key: string; // i18n key under `activity.`
  values: { by: string; subject: string; detail: string };
}

const KEYS: Record<ActivityEntry['what'], string> = {
  created: 'activity.created',
  'member-added': 'activity.memberAdded',
  'role-changed': 'activity.roleChanged',
  'member-blocked': 'activity.memberBlocked',
  'code-created': 'activity.codeCreated',
  'code-rotated': 'activity.codeRotated',
  'code-revoked': 'activity.codeRevoked',
  'epoch-rotated': 'activity.epochRotated',
};

/** Newest first; every line carries who did it, to whom/what and any detail (e.g. a role). */
export function timeline(entries: readonly ActivityEntry[]): TimelineLine[] {
  return [...entries]
    .sort((a, b) => b.index - a.index)
    .map((e) => ({
      index: e.index,
      at: e.at,
      key: KEYS[e.what],
      values: { by: e.by, subject: e.subject ?? '', detail: e.detail ?? '' },
    }));
}

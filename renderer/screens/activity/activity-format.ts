/**
 * Turns verified membership-log entries (data from the core) into i18n keys, a context and
 * values for the timeline (pure). The context picks the sentence for "you did it" (`me`) or
 * "it was done to you" (`toMe`), which German and English build differently.
 */
import type { ActivityEntry, PersonRef } from '../../../core/vault-api.js';

export interface TimelineLine {
  index: number;
  at: number;
  key: string; // i18n key under `activity.`
  context?: 'me' | 'toMe';
  /** by and subject: people to be named; role: a share.role.* word; access/epoch: the extra note. */
  by: PersonRef;
  member?: PersonRef;
  code?: string;
  role?: string;
  access?: 'readOnly' | 'readWrite';
  epoch?: number;
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

/** Newest first; every line carries who did it, to whom/what and any detail (a role, the access). */
export function timeline(entries: readonly ActivityEntry[]): TimelineLine[] {
  return [...entries]
    .sort((a, b) => b.index - a.index)
    .map((e) => {
      const line: TimelineLine = { index: e.index, at: e.at, key: KEYS[e.what], by: e.by };
      if (e.by.isMe) line.context = 'me';
      else if (e.member?.isMe) line.context = 'toMe';
      if (e.member) line.member = e.member;
      if (e.code !== undefined) line.code = e.code.slice(0, 6);
      if (e.role !== undefined) line.role = e.role;
      if (e.readOnly !== undefined) line.access = e.readOnly ? 'readOnly' : 'readWrite';
      if (e.epoch !== undefined) line.epoch = e.epoch;
      return line;
    });
}

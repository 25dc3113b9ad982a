/**
 * The core returns people and activity as data, never display words (issue 17 B): personRef and
 * describeEntry give ids, roster names and flags (isMe), roles, epochs and access; the renderer
 * words them in English or German.
 */
import { describe, expect, it } from 'vitest';
import { describeEntry } from '../../../../core/share/activity.js';
import { personRef, type PersonSource } from '../../../../core/vault/person.js';
import type { LogEntry } from '../../../../core/vault/membership.js';

const ME = 'acct-me-0000000000000';
const ANNA = 'acct-anna-00000000000';
const NAMELESS = 'acct-xyz123-000000000';
const names: Record<string, string> = { [ME]: 'Olga Owner', [ANNA]: 'Anna Anwältin' };
const session: PersonSource = { keys: { account: ME }, roster: { cachedName: (a) => names[a] ?? '' } };

const entry = (index: number, author: string, op: LogEntry['op']): LogEntry => ({ share: 'share-1', index, prev: 'p', ts: 1_765_000_000_000 + index, author, op, sig: 's' });
const ENGLISH_WORDS = /\b(you|guest|epoch|code|read-only|read-write|unreadable)\b/;

/** Every string value except the enum fields (`what`, `kind`): what a UI could show as is. */
function shownStrings(v: unknown, key = ''): string[] {
  if (typeof v === 'string') return key === 'what' || key === 'kind' ? [] : [v];
  if (Array.isArray(v)) return v.flatMap((x) => shownStrings(x));
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => shownStrings(x, k));
  return [];
}

describe('people as data', () => {
  it('marks this account with isMe and carries the roster name, never "you"', () => {
    expect(personRef(session, { kind: 'account', id: ME })).toEqual({ kind: 'account', id: ME, name: 'Olga Owner', isMe: true });
    expect(personRef(session, { kind: 'account', id: ANNA })).toEqual({ kind: 'account', id: ANNA, name: 'Anna Anwältin', isMe: false });
    expect(personRef(session, { kind: 'account', id: NAMELESS })).toEqual({ kind: 'account', id: NAMELESS, name: '', isMe: false });
  });

  it('a guest author is a code with no name (not the word "guest")', () => {
    expect(personRef(session, { kind: 'code', id: 'code-abc' })).toEqual({ kind: 'code', id: 'code-abc', name: '', isMe: false });
    const guestSession: PersonSource = { keys: { account: 'code-abc' }, roster: { cachedName: () => '' } };
    expect(personRef(guestSession, { kind: 'code', id: 'code-abc' }).isMe).toBe(true);
  });
});

describe('activity entries as data', () => {
  it('gives who, to whom, role, epoch and access as fields, with no English words', () => {
    const log = [
      entry(0, ME, { t: 'create', owner: ME, epoch: 0 }),
      entry(1, ME, { t: 'add', account: ANNA, role: 'editor' }),
      entry(2, ANNA, { t: 'role', account: ME, role: 'viewer' }),
      entry(3, ME, { t: 'block', account: ANNA, epoch: 1 }),
      entry(4, ME, { t: 'code.create', code: 'Kx81abcdefgh', readOnly: true, epoch: 1 }),
      entry(5, ME, { t: 'code.rotate', old: 'Kx81abcdefgh', code: 'Zz99abcdefgh', readOnly: false, epoch: 2 }),
      entry(6, ME, { t: 'epoch', epoch: 3 }),
    ].map((e) => describeEntry(session, e));
    expect(log.map((e) => e.what)).toEqual(['created', 'member-added', 'role-changed', 'member-blocked', 'code-created', 'code-rotated', 'epoch-rotated']);
    expect(log[0]).toEqual({ index: 0, at: 1_765_000_000_000, by: { kind: 'account', id: ME, name: 'Olga Owner', isMe: true }, what: 'created' });
    expect(log[1]).toMatchObject({ member: { id: ANNA, isMe: false }, role: 'editor' });
    expect(log[2]).toMatchObject({ by: { id: ANNA, isMe: false }, member: { id: ME, isMe: true }, role: 'viewer' });
    expect(log[3]).toMatchObject({ member: { id: ANNA }, epoch: 1 });
    expect(log[4]).toMatchObject({ code: 'Kx81abcdefgh', readOnly: true, epoch: 1 });
    expect(log[5]).toMatchObject({ code: 'Zz99abcdefgh', readOnly: false, epoch: 2 });
    expect(log[6]).toMatchObject({ epoch: 3 });
    for (const text of shownStrings(log)) expect(text).not.toMatch(ENGLISH_WORDS);
  });

  it('does not report the genesis epoch, and ignores a role that is not one', () => {
    expect(describeEntry(session, entry(0, ME, { t: 'create', epoch: 0 })).epoch).toBeUndefined();
    expect(describeEntry(session, entry(1, ME, { t: 'add', account: ANNA, role: 'superuser' })).role).toBeUndefined();
  });
});

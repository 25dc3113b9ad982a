import { describe, expect, it } from 'vitest';
import { timeline } from '../../../renderer/screens/activity/activity-format.js';
import { fingerprintRows, parseExpiry } from '../../../renderer/screens/share-panel/fingerprint-format.js';
import { checkLockMinutes, checkRelaySetting, parseStoredSettings } from '../../../renderer/state/settings-validation.js';

describe('settings validation', () => {
  it('accepts wss anywhere and ws only to loopback (R11)', () => {
    expect(checkRelaySetting('wss://relay.kanzlei.de')).toEqual({ ok: true, value: 'wss://relay.kanzlei.de' });
    expect(checkRelaySetting('ws://127.0.0.1:8787')).toEqual({ ok: true, value: 'ws://127.0.0.1:8787' });
    expect(checkRelaySetting('ws://relay.kanzlei.de')).toEqual({ ok: false, code: 'INSECURE_RELAY_URL' });
    expect(checkRelaySetting('https://relay.kanzlei.de')).toEqual({ ok: false, code: 'INSECURE_RELAY_URL' });
    expect(checkRelaySetting('not a url')).toEqual({ ok: false, code: 'BAD_FORMAT' });
  });

  it('checks lock minutes with the lock policy rules (R3)', () => {
    expect(checkLockMinutes(5, 180)).toEqual({ ok: true, value: { idleMinutes: 5, absoluteMinutes: 180 } });
    expect(checkLockMinutes(0, 180)).toEqual({ ok: false, code: 'BAD_MINUTES' });
    expect(checkLockMinutes(5, 1.5)).toEqual({ ok: false, code: 'BAD_MINUTES' });
    expect(checkLockMinutes(5, 100_000)).toEqual({ ok: false, code: 'BAD_MINUTES' });
  });

  it('falls back to defaults for malformed or insecure stored settings', () => {
    expect(parseStoredSettings(null).relayUrl).toBe('ws://127.0.0.1:8787');
    expect(parseStoredSettings('{oops').language).toBe('en');
    const s = parseStoredSettings(JSON.stringify({ relayUrl: 'ws://evil.example', idleMinutes: -1, absoluteMinutes: 60, language: 'de' }));
    expect(s).toEqual({ relayUrl: 'ws://127.0.0.1:8787', idleMinutes: 10, absoluteMinutes: 180, language: 'de' });
  });
});

describe('activity timeline', () => {
  const anna = { kind: 'account' as const, id: 'anna-account-id', name: 'Anna', isMe: false };
  const me = { kind: 'account' as const, id: 'my-account-id', name: 'Olga', isMe: true };
  const ben = { kind: 'account' as const, id: 'ben-account-id', name: 'Ben', isMe: false };
  it('orders newest first and maps every kind to its own key', () => {
    const lines = timeline([
      { index: 0, at: 1, by: anna, what: 'created' },
      { index: 2, at: 3, by: anna, what: 'code-rotated', code: 'Kx81abcdefgh', epoch: 2, readOnly: true },
      { index: 1, at: 2, by: anna, what: 'member-added', member: ben, role: 'editor' },
    ]);
    expect(lines.map((l) => l.index)).toEqual([2, 1, 0]);
    expect(lines.map((l) => l.key)).toEqual(['activity.codeRotated', 'activity.memberAdded', 'activity.created']);
    expect(lines[1]).toMatchObject({ by: anna, member: ben, role: 'editor' });
    expect(lines[1]!.context).toBeUndefined();
    expect(lines[0]).toMatchObject({ code: 'Kx81ab', access: 'readOnly', epoch: 2 });
  });

  it('picks the "you did it" and "done to you" sentences from the isMe flags', () => {
    const [byMe, toMe] = timeline([
      { index: 1, at: 2, by: me, what: 'member-added', member: ben, role: 'viewer' },
      { index: 0, at: 1, by: anna, what: 'role-changed', member: me, role: 'admin' },
    ]);
    expect(byMe!.context).toBe('me');
    expect(toMe!.context).toBe('toMe');
  });
});

describe('safety numbers and expiry', () => {
  it('groups 60 digits in 3 rows of 4 groups', () => {
    const fp = Array.from({ length: 12 }, (_, i) => String(10000 + i)).join(' ');
    expect(fingerprintRows(fp)).toEqual(['10000 10001 10002 10003', '10004 10005 10006 10007', '10008 10009 10010 10011']);
    expect(fingerprintRows('abc')).toEqual(['abc']);
  });

  it('parses an expiry and refuses past or invalid times', () => {
    const now = Date.parse('2026-11-23T10:00:00Z');
    expect(parseExpiry('', now)).toBeNull();
    expect(parseExpiry('garbage', now)).toBe('invalid');
    expect(parseExpiry('2020-01-01T00:00', now)).toBe('past');
    expect(parseExpiry('2030-01-01T00:00', now)).toBe(new Date('2030-01-01T00:00').getTime());
  });
});

/** renderer/i18n/format.ts: language from the system, dates through Intl (24-hour German), sizes, people. */
import { describe, expect, it } from 'vitest';
import { displayTitle, formatDate, formatDateTime, formatLongDate, formatShortDateTime, formatSize, formatUtcDate, localeTag, personName, systemLanguage } from '../../../renderer/i18n/format.js';
import { conflictedCopyName } from '../../../core/vault/file-versions.js';
import { conflictedCopyTitle, parseConflictedCopyTitle } from '../../../core/sync/merge.js';
import { parseStoredSettings } from '../../../renderer/state/settings-validation.js';
import type { PersonRef } from '../../../core/vault-api.js';

const afternoon = new Date(2026, 11, 7, 15, 5).getTime(); // local time: 7 Dec 2026, 15:05
const morning = new Date(2026, 11, 7, 9, 5).getTime();
const H24 = /\b([01]\d|2[0-3]):[0-5]\d\b/;

describe('language of the first start', () => {
  it('follows the first German or English system language, English otherwise', () => {
    expect(systemLanguage(['de-DE', 'en-US'])).toBe('de');
    expect(systemLanguage(['de'])).toBe('de');
    expect(systemLanguage(['en-GB', 'de-DE'])).toBe('en');
    expect(systemLanguage(['fr-FR', 'de-AT'])).toBe('de');
    expect(systemLanguage(['fr-FR', 'it'])).toBe('en');
    expect(systemLanguage([])).toBe('en');
    expect(systemLanguage(['dev'])).toBe('en'); // not a German tag
  });

  it('uses the system language until the user chooses one, then keeps the choice', () => {
    expect(parseStoredSettings(null, 'de').language).toBe('de');
    expect(parseStoredSettings('{oops', 'de').language).toBe('de');
    expect(parseStoredSettings(JSON.stringify({ language: 'en' }), 'de').language).toBe('en');
    expect(parseStoredSettings(JSON.stringify({ language: 'de' }), 'en').language).toBe('de');
    expect(parseStoredSettings(JSON.stringify({ language: 'fr' }), 'de').language).toBe('de');
  });
});

describe('dates and times through Intl', () => {
  it('takes the system variant of the chosen language for Intl', () => {
    expect(localeTag('en', ['en-GB', 'de'])).toBe('en-GB');
    expect(localeTag('de', ['en-US', 'de-AT'])).toBe('de-AT');
    expect(localeTag('de', ['en-US'])).toBe('de');
    expect(localeTag('en', ['de-DE'])).toBe('en');
  });

  it('writes German dates with a 24-hour clock and no AM/PM', () => {
    expect(formatShortDateTime(afternoon, 'de', ['de-DE'])).toBe('07.12.26, 15:05');
    expect(formatShortDateTime(morning, 'de', ['de-DE'])).toBe('07.12.26, 09:05');
    expect(formatDate(afternoon, 'de', ['de-DE'])).toBe('07.12.2026');
    const long = formatDateTime(afternoon, 'de', ['de-DE']);
    expect(long).toMatch(H24);
    expect(long).toContain('15:05');
    expect(long).toMatch(/Dez/);
    expect(long).not.toMatch(/AM|PM/i);
    // 24-hour even when the system prefers US English but the user chose German
    expect(formatDateTime(afternoon, 'de', ['en-US'])).toContain('15:05');
  });

  it('writes English in the system’s English (US 12-hour, UK 24-hour)', () => {
    const us = formatDateTime(afternoon, 'en', ['en-US']);
    expect(us).toMatch(/3:05\s?PM/);
    expect(us).toContain('Dec');
    expect(formatDateTime(afternoon, 'en', ['en-GB'])).toContain('15:05');
  });
});

describe('sizes and people', () => {
  it('formats sizes with the language’s decimal mark', () => {
    expect(formatSize(500, 'de', [])).toBe('500 B');
    expect(formatSize(1536, 'de', [])).toBe('1,5 KiB');
    expect(formatSize(1536, 'en', [])).toBe('1.5 KiB');
    expect(formatSize(3 * 1024 * 1024, 'de', [])).toBe('3,0 MiB');
  });

  it('names a person from data: "you", the roster name, a guest code, a short id', () => {
    const words = { you: 'Sie', guest: (id: string) => `Gast ${id}` };
    const p = (o: Partial<PersonRef>): PersonRef => ({ kind: 'account', id: 'Abc123xyz', name: '', isMe: false, ...o });
    expect(personName(p({ isMe: true, name: 'Olga' }), words)).toBe('Sie');
    expect(personName(p({ name: 'Olga Owner' }), words)).toBe('Olga Owner');
    expect(personName(p({ kind: 'code', id: 'Kx81abcdef' }), words)).toBe('Gast Kx81ab');
    expect(personName(p({}), words)).toBe('Abc123');
  });
});

describe('the kit date and an access code\'s last-use day', () => {
  it('spells the kit date out; the last-use day is the UTC day the relay kept, whatever the local zone', () => {
    expect(formatLongDate(Date.UTC(2026, 11, 7, 12), 'de', ['de-DE'])).toBe('7. Dezember 2026');
    expect(formatLongDate(Date.UTC(2026, 11, 7, 12), 'en', ['en-US'])).toBe('December 7, 2026');
    expect(formatUtcDate(Date.UTC(2026, 11, 7, 23, 30), 'de', ['de-DE'])).toBe('07.12.2026');
    expect(formatUtcDate(Date.UTC(2026, 11, 7, 0, 10), 'en', ['en-GB'])).toBe('7 Dec 2026');
  });
});

describe('conflicted copies', () => {
  const at = Date.UTC(2026, 4, 4, 13, 7);
  it('the core takes the stored title apart as data (title, time); anything else is not a copy', () => {
    expect(parseConflictedCopyTitle(conflictedCopyTitle('Plan (alt)', at))).toEqual({ title: 'Plan (alt)', at, ext: '' });
    expect(parseConflictedCopyTitle(conflictedCopyTitle('', at))).toEqual({ title: '', at, ext: '' });
    // a file's copy keeps its extension after the marker (file-versions.ts)
    expect(parseConflictedCopyTitle(conflictedCopyName('vertrag.pdf', at))).toEqual({ title: 'vertrag', at, ext: '.pdf' });
    expect(parseConflictedCopyTitle(conflictedCopyName('README', at))).toEqual({ title: 'README', at, ext: '' });
    expect(parseConflictedCopyTitle('Plan')).toBeNull();
    expect(parseConflictedCopyTitle('Plan (conflicted copy 2026-05-04)')).toBeNull();
  });

  it('shows a copy in the user’s language and clock; a plain title stays as typed', () => {
    const de = { copy: 'Konfliktkopie', untitled: 'Ohne Titel' };
    const stored = conflictedCopyTitle('Plan', at);
    const local = formatShortDateTime(at, 'de', ['de-DE']);
    expect(displayTitle(stored, true, 'de', de, ['de-DE'])).toBe(`Plan (Konfliktkopie ${local})`);
    expect(displayTitle(conflictedCopyTitle('', at), true, 'de', de, ['de-DE'])).toBe(`Ohne Titel (Konfliktkopie ${local})`);
    expect(displayTitle(stored, false, 'de', de, ['de-DE'])).toBe(stored); // not marked as a copy: the user's own text
    expect(displayTitle('Plan', true, 'de', de, ['de-DE'])).toBe('Plan');
    expect(displayTitle(conflictedCopyName('vertrag.pdf', at), true, 'de', de, ['de-DE'])).toBe(`vertrag (Konfliktkopie ${local}).pdf`);
  });
});

/**
 * Dates, times, sizes and people in the user's language: every screen formats through here.
 * Pure apart from a cache of Intl formatters: building one costs about as much as formatting
 * hundreds of values (`toLocaleString` builds one on every call), and the list formats a date
 * per visible row. German always uses the 24-hour clock; English follows the system's English
 * variant (en-GB: 24-hour, en-US: 12-hour).
 */
import { parseConflictedCopyTitle } from '../../core/sync/merge.js';
import type { PersonRef } from '../../core/vault-api.js';
import type { Language } from '../state/settings-validation.js';

/** The app language from the system's preferred languages: the first German or English one wins; English otherwise. */
export function systemLanguage(preferred: readonly string[]): Language {
  for (const l of preferred) {
    if (typeof l !== 'string') continue;
    if (/^de(?:[-_]|$)/i.test(l)) return 'de';
    if (/^en(?:[-_]|$)/i.test(l)) return 'en';
  }
  return 'en';
}

function preferredLanguages(): readonly string[] {
  const nav = (globalThis as { navigator?: { languages?: readonly string[]; language?: string } }).navigator;
  return nav?.languages?.length ? nav.languages : nav?.language ? [nav.language] : [];
}

/** The BCP 47 tag for Intl: the system's own variant of `lang` (en-GB, de-AT) when it has one, else `lang`. */
export function localeTag(lang: string, preferred: readonly string[] = preferredLanguages()): string {
  const base = lang === 'de' ? 'de' : 'en';
  const own = preferred.find((l) => typeof l === 'string' && l.toLowerCase().startsWith(`${base}-`));
  return own ?? base;
}

const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();

function dateFormat(lang: string, kind: 'dateTime' | 'short' | 'date' | 'long' | 'utcDate', preferred?: readonly string[]): Intl.DateTimeFormat {
  const tag = localeTag(lang, preferred);
  const key = `${kind}|${tag}`;
  let f = cache.get(key) as Intl.DateTimeFormat | undefined;
  if (!f) {
    const hour: Intl.DateTimeFormatOptions = lang === 'de' ? { hour: '2-digit', hourCycle: 'h23' } : { hour: 'numeric' };
    const opts: Intl.DateTimeFormatOptions =
      kind === 'date' ? { dateStyle: 'medium' }
        : kind === 'long' ? { dateStyle: 'long' }
        : kind === 'utcDate' ? { dateStyle: 'medium', timeZone: 'UTC' }
        : kind === 'short' ? { year: '2-digit', month: '2-digit', day: '2-digit', minute: '2-digit', ...hour }
          : { year: 'numeric', month: 'short', day: 'numeric', minute: '2-digit', ...hour };
    cache.set(key, (f = new Intl.DateTimeFormat(tag, opts)));
  }
  return f;
}

/** Date and time, e.g. "7. Dez. 2026, 16:05" / "Dec 7, 2026, 4:05 PM" (ms since epoch). */
export function formatDateTime(ms: number, lang: string, preferred?: readonly string[]): string {
  return dateFormat(lang, 'dateTime', preferred).format(ms);
}

/** Compact date and time for list rows, e.g. "07.12.26, 16:05". */
export function formatShortDateTime(ms: number, lang: string, preferred?: readonly string[]): string {
  return dateFormat(lang, 'short', preferred).format(ms);
}

/** Date only, e.g. "07.12.2026" / "Dec 7, 2026". */
export function formatDate(ms: number, lang: string, preferred?: readonly string[]): string {
  return dateFormat(lang, 'date', preferred).format(ms);
}

/** Date only, spelled out, e.g. "7. Dezember 2026" / "December 7, 2026" (the emergency kit's footer). */
export function formatLongDate(ms: number, lang: string, preferred?: readonly string[]): string {
  return dateFormat(lang, 'long', preferred).format(ms);
}

/** A UTC calendar day (the relay keeps only the day an access code was last used), e.g. "07.12.2026". */
export function formatUtcDate(ms: number, lang: string, preferred?: readonly string[]): string {
  return dateFormat(lang, 'utcDate', preferred).format(ms);
}

/** Bytes as B, KiB or MiB with the language's decimal mark ("1,5 KiB"). */
export function formatSize(n: number, lang: string, preferred?: readonly string[]): string {
  if (n < 1024) return `${n} B`;
  const tag = localeTag(lang, preferred);
  const key = `size|${tag}`;
  let f = cache.get(key) as Intl.NumberFormat | undefined;
  if (!f) cache.set(key, (f = new Intl.NumberFormat(tag, { minimumFractionDigits: 1, maximumFractionDigits: 1 })));
  return n < 1024 * 1024 ? `${f.format(n / 1024)} KiB` : `${f.format(n / 1024 / 1024)} MiB`;
}

/** The words a person is shown with; the caller passes them from i18n (person.you, person.guest). */
export interface PersonWords {
  you: string;
  /** A guest writing with access code `id` (its first 6 characters). */
  guest: (id: string) => string;
}

/** "you"/"Sie" for this account, the roster name, a guest's code, or a short id when the name is unknown. */
export function personName(p: PersonRef, words: PersonWords): string {
  if (p.isMe) return words.you;
  if (p.name) return p.name;
  if (p.kind === 'code') return words.guest(p.id.slice(0, 6));
  return p.id.slice(0, 6);
}

/**
 * An item's title as shown: a conflicted copy's stored title ("Plan (conflicted copy
 * 2026-05-04 13:07)", written alike on every device) in the user's language and time zone,
 * e.g. "Plan (Konfliktkopie 04.05.26, 15:07)"; a file's copy keeps its extension last ("report
 * (Konfliktkopie 07.12.26, 17:40).pdf"). `copy` is items.conflictInTitle; `untitled` for no title.
 */
export function displayTitle(title: string, conflicted: boolean, lang: string, words: { copy: string; untitled: string }, preferred?: readonly string[]): string {
  const parsed = conflicted ? parseConflictedCopyTitle(title) : null;
  if (!parsed) return title;
  return `${parsed.title || words.untitled} (${words.copy} ${formatShortDateTime(parsed.at, lang, preferred)})${parsed.ext}`;
}

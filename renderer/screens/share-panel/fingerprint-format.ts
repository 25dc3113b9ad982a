/**
 * Safety numbers (60 digits) shown as 3 rows of 4 groups of 5 digits, as Signal shows them,
 * so two people can read them to each other. Anything else is shown unchanged.
 */
export function fingerprintRows(fingerprint: string): string[] {
  const digits = fingerprint.replace(/\s+/g, '');
  if (!/^\d{60}$/.test(digits)) return [fingerprint];
  const groups = digits.match(/\d{5}/g) ?? [];
  return [0, 4, 8].map((i) => groups.slice(i, i + 4).join(' '));
}

/** `datetime-local` input value → ms since epoch, or null for empty; NaN input → 'invalid'. */
export function parseExpiry(value: string, now: number): number | null | 'invalid' | 'past' {
  if (value.trim() === '') return null;
  const t = new Date(value).getTime();
  if (!Number.isFinite(t)) return 'invalid';
  if (t <= now) return 'past';
  return t;
}

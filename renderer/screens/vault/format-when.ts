/**
 * Short date and time of an item, with one cached Intl.DateTimeFormat per locale: building a
 * formatter costs about as much as formatting hundreds of dates (`toLocaleString` builds one on
 * every call), and the list formats a date per visible row.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

export function formatWhen(ms: number, lang: string): string {
  let f = formatters.get(lang);
  if (!f) formatters.set(lang, (f = new Intl.DateTimeFormat(lang, { dateStyle: 'short', timeStyle: 'short' })));
  return f.format(ms);
}

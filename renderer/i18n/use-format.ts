/** The formatters of format.ts bound to the current language (re-renders when it changes). */
import { useTranslation } from 'react-i18next';
import type { PersonRef } from '../../core/vault-api.js';
import { formatDate, formatDateTime, formatShortDateTime, formatSize, personName } from './format.js';

export function useFormat() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const words = { you: t('person.you'), guest: (id: string) => t('person.guest', { id }) };
  return {
    lang,
    dateTime: (ms: number) => formatDateTime(ms, lang),
    shortDateTime: (ms: number) => formatShortDateTime(ms, lang),
    date: (ms: number) => formatDate(ms, lang),
    size: (n: number) => formatSize(n, lang),
    person: (p: PersonRef) => personName(p, words),
  };
}

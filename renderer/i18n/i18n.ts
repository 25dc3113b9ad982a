/**
 * i18next setup: one namespace holding the shell strings, the admin screens' strings
 * (admin-*.ts, part B), the team's strings (team-*.ts, issue 13) and every error code under `error.<CODE>`. English is the default.
 */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import adminDe from './admin-de.js';
import adminEn from './admin-en.js';
import de from './de.js';
import designDe from './design-de.js';
import designEn from './design-en.js';
import en from './en.js';
import errorsDe from './errors-de.js';
import errorsEn from './errors-en.js';
import filesDe from './files-de.js';
import filesEn from './files-en.js';
import kitDe from './kit-de.js';
import kitEn from './kit-en.js';
import relayDe from './relay-de.js';
import relayEn from './relay-en.js';
import teamDe from './team-de.js';
import teamEn from './team-en.js';

function prefixed(errors: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(errors).map(([code, text]) => [`error.${code}`, text]));
}

export const resources = {
  en: { translation: { ...adminEn, ...en, ...teamEn, ...filesEn, ...kitEn, ...designEn, ...relayEn, ...prefixed(errorsEn) } },
  de: { translation: { ...adminDe, ...de, ...teamDe, ...filesDe, ...kitDe, ...designDe, ...relayDe, ...prefixed(errorsDe) } },
} as const;

/** `<html lang>` follows the language at all times (screen readers, hyphenation, spell check). */
function followLang(lang: string): void {
  if (typeof document !== 'undefined') document.documentElement.lang = lang === 'de' ? 'de' : 'en';
}

/** Initialises i18next once; `language` is 'en' or 'de' (anything else falls back to English). */
export async function setupI18n(language: string): Promise<typeof i18next> {
  i18next.on('languageChanged', followLang);
  await i18next.use(initReactI18next).init({
    resources,
    lng: language === 'de' ? 'de' : 'en',
    fallbackLng: 'en',
    interpolation: { escapeValue: false }, // React escapes already
    returnNull: false,
  });
  followLang(i18next.language);
  return i18next;
}

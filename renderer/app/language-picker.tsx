/**
 * The language choice shown before any vault is open (welcome, unlock). Each language is named
 * in itself, so a user can find theirs whatever the current language is. The choice is saved
 * in the settings and `<html lang>` follows it (i18n.ts).
 */
import { useTranslation } from 'react-i18next';
import { useSettings } from '../state/settings-store.js';
import type { Language } from '../state/settings-validation.js';

const LANGUAGES: readonly Language[] = ['de', 'en'];

export function LanguagePicker() {
  const { t } = useTranslation();
  const language = useSettings((s) => s.language);
  const setLanguage = useSettings((s) => s.setLanguage);
  return (
    <div className="language-picker" role="group" aria-label={t('language.label')}>
      {LANGUAGES.map((l) => (
        <button key={l} type="button" lang={l} className={l === language ? 'link current' : 'link'} aria-pressed={l === language} onClick={() => setLanguage(l)}>
          {t(`language.${l}`)}
        </button>
      ))}
    </div>
  );
}

/** Settings: the relay (R11: ws:// only to loopback; relay-section.tsx), lock timeouts (R3), language. */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSettings } from '../../state/settings-store.js';
import { RelaySection } from './relay-section.js';

export function SettingsView() {
  const { t } = useTranslation();
  const settings = useSettings();
  const [idle, setIdle] = useState(String(settings.idleMinutes));
  const [absolute, setAbsolute] = useState(String(settings.absoluteMinutes));
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  const save = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const m = settings.setLockMinutes(Number(idle), Number(absolute));
    if (!m.ok) return setError('settings.badMinutes');
    setError(null);
    setSaved(true);
  };

  return (
    <div className="panel" aria-label={t('settings.title')}>
      <h2>{t('settings.title')}</h2>
      <RelaySection />
      <form className="stack" onSubmit={save}>
        <label>
          {t('settings.idle')}
          <input type="number" min={1} max={1440} step={1} value={idle} onChange={(e) => setIdle(e.target.value)} />
        </label>
        <label>
          {t('settings.absolute')}
          <input type="number" min={1} max={1440} step={1} value={absolute} onChange={(e) => setAbsolute(e.target.value)} />
        </label>
        {error && <p className="error" role="alert">{t(error)}</p>}
        {saved && <p role="status">{t('settings.saved')}</p>}
        <button type="submit">{t('admin.save')}</button>
      </form>
      <label>
        {t('settings.language')}
        <select value={settings.language} onChange={(e) => settings.setLanguage(e.target.value === 'de' ? 'de' : 'en')}>
          <option value="en">English</option>
          <option value="de">Deutsch</option>
        </select>
      </label>
    </div>
  );
}

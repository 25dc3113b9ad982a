/** Settings: relay URL (R11: ws:// only to loopback), lock timeouts (R3), language. */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSettings } from '../../state/settings-store.js';

export function SettingsView() {
  const { t } = useTranslation();
  const settings = useSettings();
  const [relay, setRelay] = useState(settings.relayUrl);
  const [idle, setIdle] = useState(String(settings.idleMinutes));
  const [absolute, setAbsolute] = useState(String(settings.absoluteMinutes));
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  const save = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const r = settings.setRelayUrl(relay);
    if (!r.ok) return setError(`error.${r.code}`);
    const m = settings.setLockMinutes(Number(idle), Number(absolute));
    if (!m.ok) return setError('settings.badMinutes');
    setError(null);
    setSaved(true);
  };

  return (
    <div className="panel" aria-label={t('settings.title')}>
      <h2>{t('settings.title')}</h2>
      <form className="stack" onSubmit={save}>
        <label>
          {t('settings.relay')}
          <input value={relay} onChange={(e) => setRelay(e.target.value)} spellCheck={false} inputMode="url" aria-describedby="relay-hint" />
        </label>
        <p id="relay-hint" className="muted">{t('settings.relayHint')}</p>
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

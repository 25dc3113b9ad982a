/**
 * Settings › relay: shows the relay this window actually connects to (from the platform: main's
 * setting in Electron, the web client's choice in a browser) and switches it. The platform asks
 * for confirmation naming the host when the origin changes; a refused URL is answered in words.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isVaultError, type VaultErrorCode } from '../../../core/errors.js';
import { FormError } from '../../app/form-error.js';
import { useServices } from '../../app/services.js';
import type { RelayChoice } from '../../platform/platform.js';

export function RelaySection() {
  const { t } = useTranslation();
  const { platform } = useServices();
  const [inUse, setInUse] = useState<string | null>(null);
  const [input, setInput] = useState('');
  const [outcome, setOutcome] = useState<RelayChoice | null>(null);
  const [error, setError] = useState<VaultErrorCode | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    void platform.relay.current().then((url) => {
      if (!live) return;
      setInUse(url);
      setInput((x) => x || url);
    });
    return () => {
      live = false;
    };
  }, [platform]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setOutcome(null);
    setError(null);
    try {
      const r = await platform.relay.choose(input.trim());
      setOutcome(r);
      setInUse(await platform.relay.current());
    } catch (err) {
      setError(isVaultError(err) ? err.code : 'BAD_FORMAT');
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="stack" onSubmit={(e) => void submit(e)} aria-label={t('settings.relay')} aria-busy={busy}>
      <p>
        {t('settings.relayInUse')}: <code data-testid="relay-in-use">{inUse ?? '…'}</code>
      </p>
      <label>
        {t('settings.relay')}
        <input value={input} onChange={(e) => setInput(e.target.value)} spellCheck={false} inputMode="url" aria-describedby="relay-hint" />
      </label>
      <p id="relay-hint" className="muted">{t('settings.relayHint')}</p>
      <FormError code={error} />
      {outcome && (
        <p role="status" data-relay-outcome={outcome}>
          {t(outcome === 'switched' ? 'settings.relaySwitched' : outcome === 'declined' ? 'settings.relayDeclined' : 'settings.relayUnchanged')}
        </p>
      )}
      <button type="submit" disabled={busy}>{t('settings.relaySwitch')}</button>
    </form>
  );
}

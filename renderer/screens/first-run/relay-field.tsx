/**
 * The firm's relay on the first-run screens (issue 16): a URL field prefilled from the configured
 * relay, and "Check connection". Checking applies the one URL policy (protocol/relay-url.ts: wss://
 * required off this computer) without any network; a relay other than the one in use is switched
 * to only through the Platform's relay switch, which asks the person first naming the host
 * (Electron: main's native dialog, then CSP and request filter move and the window reloads; web:
 * the browser's dialog); then the launcher checks that a Truhe relay answers there.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isVaultError, type VaultErrorCode } from '../../../core/errors.js';
import { checkRelayUrlPolicy } from '../../../protocol/relay-url.js';
import { initialRelayInput, relayHost } from '../../app/relay-gate.js';
import { useServices } from '../../app/services.js';

export interface RelayChoiceState {
  input: string;
  setInput(v: string): void;
  busy: boolean;
  error: VaultErrorCode | null;
  /** 'ok': a Truhe relay answered at `checked`; 'declined': the switch was not confirmed. */
  outcome: 'ok' | 'declined' | null;
  checked: string | null;
  /** Makes the field's relay the one in use (asking first) and checks it; the URL, or null (error/outcome say why). */
  ensure(): Promise<string | null>;
}

export function useRelayChoice(): RelayChoiceState {
  const { launcher, platform, relayUrl } = useServices();
  const [input, setInputRaw] = useState(() => initialRelayInput(location.search, relayUrl()));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<VaultErrorCode | null>(null);
  const [outcome, setOutcome] = useState<'ok' | 'declined' | null>(null);
  const [checked, setChecked] = useState<string | null>(null);
  const setInput = (v: string) => {
    setInputRaw(v);
    setOutcome(null);
    setError(null);
    setChecked(null);
  };
  const ensure = async (): Promise<string | null> => {
    setError(null);
    setOutcome(null);
    const v = checkRelayUrlPolicy(input);
    if (!v.ok) {
      setError(v.code);
      return null;
    }
    setBusy(true);
    try {
      if (relayUrl() !== v.relay.url) {
        // Asks naming the host before this window contacts it; persists the choice.
        const r = await platform.relay.choose(v.relay.url);
        if (r === 'declined') {
          setOutcome('declined');
          return null;
        }
      }
      const ok = await launcher.checkRelay(v.relay.url);
      setChecked(ok.url);
      setOutcome('ok');
      return ok.url;
    } catch (e) {
      setError(isVaultError(e) ? e.code : 'INTERNAL');
      return null;
    } finally {
      setBusy(false);
    }
  };
  return { input, setInput, busy, error, outcome, checked, ensure };
}

/** A relay check's failure in words (relay.error.<CODE>, else error.<CODE>), announced. */
export function RelayError({ code }: { code: VaultErrorCode | null }) {
  const { t } = useTranslation();
  if (!code) return null;
  return (
    <p className="form-error" role="alert" data-error-code={code}>
      {t(`relay.error.${code}`, { defaultValue: t(`error.${code}`) })}
    </p>
  );
}

export function RelayField({ relay, id = 'relay' }: { relay: RelayChoiceState; id?: string }) {
  const { t } = useTranslation();
  return (
    <div className="relay-field" role="group" aria-label={t('relay.field')}>
      <label>
        {t('relay.field')}
        <input
          value={relay.input} onChange={(e) => relay.setInput(e.target.value)} placeholder="wss://truhe.ihre-kanzlei.de"
          spellCheck={false} autoCapitalize="off" autoComplete="off" inputMode="url" data-testid={`${id}-url`}
        />
      </label>
      <span id={`${id}-hint`} className="muted small">{t('relay.hint')}</span>
      <div className="actions">
        <button type="button" onClick={() => void relay.ensure()} disabled={relay.busy}>{t('relay.check')}</button>
      </div>
      {relay.busy && <p className="muted" role="status">{t('relay.checking')}</p>}
      <RelayError code={relay.error} />
      {relay.outcome && (
        <p role="status" data-relay-check={relay.outcome}>
          {relay.outcome === 'ok' ? t('relay.ok', { host: relayHost(relay.checked ?? '') }) : t('settings.relayDeclined')}
        </p>
      )}
    </div>
  );
}

/**
 * The gate for a pasted (or OS-handed) `truhe://team?relay=…` / `truhe://join?relay=…` link whose
 * relay is not the one in use (issue 16): the page shows which relay the link points to and
 * contacts nothing there until the person agrees; "Switch" goes through the Platform's relay
 * switch, which asks once more naming the host and persists the choice; then the link is opened.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isVaultError, type VaultErrorCode } from '../../../core/errors.js';
import { relayGate, relayHost } from '../../app/relay-gate.js';
import { useServices } from '../../app/services.js';
import { RelayError } from './relay-field.js';

interface Pending { url: string; host: string; then: () => void }

export interface LinkGate {
  /** True: go ahead now. False: the panel asks first (and runs `then` once switched), or an error says why not. */
  pass(target: string | null, then: () => void): boolean;
  pending: Pending | null;
  busy: boolean;
  error: VaultErrorCode | null;
  declined: boolean;
  confirm(): Promise<void>;
  cancel(): void;
}

export function useLinkGate(): LinkGate {
  const { platform, relayUrl } = useServices();
  const [pending, setPending] = useState<Pending | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<VaultErrorCode | null>(null);
  const [declined, setDeclined] = useState(false);
  return {
    pending, busy, error, declined,
    pass(target, then) {
      setError(null);
      setDeclined(false);
      setPending(null);
      if (!target) return true; // no relay in the link: the parser downstream says what is wrong
      const g = relayGate(relayUrl(), target);
      if (g.kind === 'same') return true;
      if (g.kind === 'refused') {
        setError(g.code);
        return false;
      }
      setPending({ url: g.relay.url, host: g.relay.host, then });
      return false;
    },
    async confirm() {
      if (!pending) return;
      setBusy(true);
      setError(null);
      try {
        const r = await platform.relay.choose(pending.url);
        if (r === 'declined') {
          setDeclined(true);
          return;
        }
        setPending(null);
        pending.then();
      } catch (e) {
        setError(isVaultError(e) ? e.code : 'INTERNAL');
      } finally {
        setBusy(false);
      }
    },
    cancel() {
      setPending(null);
      setDeclined(false);
      setError(null);
    },
  };
}

export function LinkGatePanel({ gate }: { gate: LinkGate }) {
  const { t } = useTranslation();
  const { relayUrl } = useServices();
  if (!gate.pending) return <RelayError code={gate.error} />;
  const target = gate.pending.host;
  return (
    <section className="preview-card" data-testid="relay-gate" aria-labelledby="relay-gate-title">
      <h2 id="relay-gate-title">{t('relay.gate.title')}</h2>
      <p data-testid="relay-gate-target">{t('relay.gate.text', { target, current: relayHost(relayUrl()) })}</p>
      <p className="small">{t('relay.gate.ask')}</p>
      <RelayError code={gate.error} />
      {gate.declined && <p role="status" data-relay-check="declined">{t('settings.relayDeclined')}</p>}
      <div className="actions">
        <button type="button" onClick={gate.cancel} disabled={gate.busy}>{t('relay.gate.cancel')}</button>
        <button type="button" className="primary" onClick={() => void gate.confirm()} disabled={gate.busy}>{t('relay.gate.switch', { target })}</button>
      </div>
    </section>
  );
}

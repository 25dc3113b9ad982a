/**
 * The emergency kit, shown once after team creation: relay, team, account and the Secret Key.
 * The user prints it (or saves it as a PDF through the print dialog) and must confirm before
 * the vault opens. The kit lives only in the session slice and is dropped on confirm.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../state/session-store.js';

export function EmergencyKit() {
  const { t } = useTranslation();
  const kit = useSession((s) => s.kit);
  const [saved, setSaved] = useState(false);
  if (!kit) return null;
  const done = () => useSession.setState({ kit: null, screen: 'vault' });
  const rows = [
    ['kit.relay', kit.relayUrl, 'kit-relay'],
    ['kit.teamId', kit.teamId, 'kit-team'],
    ['kit.accountId', kit.accountId, 'kit-account'],
  ] as const;
  return (
    <main className="card-screen" aria-labelledby="kit-title">
      <section className="card kit">
        <h1 id="kit-title">{t('kit.title')}</h1>
        <p>{t('kit.intro')}</p>
        <dl className="kit-fields">
          <dt>{t('kit.secretKey')}</dt>
          <dd className="secret-key" data-testid="kit-secret">{kit.secretKey}</dd>
          {rows.map(([label, value, id]) => (
            <div key={id}>
              <dt>{t(label)}</dt>
              <dd data-testid={id}>{value}</dd>
            </div>
          ))}
          <dt>{t('kit.passwordLine')}</dt>
          <dd className="write-in" aria-hidden="true" />
        </dl>
        <div className="no-print">
          <button type="button" onClick={() => window.print()}>{t('kit.print')}</button>
          <label className="check">
            <input type="checkbox" checked={saved} onChange={(e) => setSaved(e.target.checked)} />
            {t('kit.confirm')}
          </label>
          <button type="button" className="primary wide" disabled={!saved} onClick={done}>{t('kit.continue')}</button>
        </div>
      </section>
    </main>
  );
}

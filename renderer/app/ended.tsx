/** Shown when access ended for good (code rotated or revoked, blocked, device wiped). */
import { useTranslation } from 'react-i18next';
import { useSession } from '../state/session-store.js';

export function Ended() {
  const { t } = useTranslation();
  const code = useSession((s) => s.endedBy);
  return (
    <main className="card-screen" aria-labelledby="ended-title">
      <section className="card">
        <h1 id="ended-title">{t('guest.ended')}</h1>
        {code && <p role="alert" className="form-error" data-error-code={code}>{t(`error.${code}`)}</p>}
        <button type="button" className="primary" onClick={() => useSession.setState({ screen: 'welcome', endedBy: null })}>{t('guest.startOver')}</button>
      </section>
    </main>
  );
}

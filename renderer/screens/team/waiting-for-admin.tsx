/**
 * The vault shell while this account's join awaits a team admin's confirmation (TeamInfo.myRole
 * null): a full-page notice instead of the vault. The team slice re-checks the roster by itself,
 * so this page gives way to the vault as soon as an admin's client has signed "member joined".
 */
import { useTranslation } from 'react-i18next';

export function WaitingForAdmin() {
  const { t } = useTranslation();
  return (
    <main className="notice-page" aria-labelledby="waiting-title">
      <section className="card" role="status" aria-live="polite" data-testid="waiting-for-admin">
        <h1 id="waiting-title">{t('waiting.title')}</h1>
        <p>{t('waiting.body')}</p>
        <p className="muted small">{t('waiting.hint')}</p>
        <progress aria-label={t('waiting.title')} />
      </section>
    </main>
  );
}

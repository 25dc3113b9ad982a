/** A clear message for the relay's last typed error and for the last failed action. */
import { useTranslation } from 'react-i18next';
import { clearNotice, useNotice } from '../state/notice-store.js';
import { useSession } from '../state/session-store.js';

export function ErrorBanner() {
  const { t } = useTranslation();
  const notice = useNotice((s) => s.code);
  const relayError = useSession((s) => s.status.lastError?.code);
  const count = useSession((s) => s.status.lastError?.count);
  const code = notice ?? relayError;
  if (!code) return null;
  return (
    <div className="banner error" role="alert" data-error-code={code}>
      <span>{t(`error.${code}`, notice ? undefined : { count: count ?? 0 })}</span>
      {notice && <button type="button" className="link" onClick={clearNotice} aria-label={t('common.dismiss')}>×</button>}
    </div>
  );
}

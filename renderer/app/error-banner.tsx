/**
 * A clear message for the relay's last typed error and for the last failed action. Changes the
 * relay refused because this account lost access (NOT_DELIVERED) come with their export. With
 * nothing waiting to sync, a message does not claim "your changes are kept" (errorNoPending.*).
 */
import { useTranslation } from 'react-i18next';
import { clearNotice, showError, useNotice } from '../state/notice-store.js';
import { useSession } from '../state/session-store.js';
import { useServices } from './services.js';

export function ErrorBanner() {
  const { t } = useTranslation();
  const { platform } = useServices();
  const notice = useNotice((s) => s.code);
  const relayError = useSession((s) => s.status.lastError?.code);
  const count = useSession((s) => s.status.lastError?.count);
  const pending = useSession((s) => s.status.pending);
  const code = notice ?? relayError;
  if (!code) return null;
  const exportUndelivered = () => {
    const vault = useSession.getState().vault;
    if (vault) void platform.saveFile('truhe-not-delivered.zip', vault.exportUndelivered()).catch(showError);
  };
  return (
    <div className="banner error" role="alert" data-error-code={code}>
      <span>{t(pending === 0 ? [`errorNoPending.${code}`, `error.${code}`] : `error.${code}`, notice ? undefined : { count: count ?? 0 })}</span>
      {!notice && code === 'NOT_DELIVERED' && <button type="button" onClick={exportUndelivered}>{t('sync.exportUndelivered')}</button>}
      {notice && <button type="button" className="link" onClick={clearNotice} aria-label={t('common.dismiss')}>×</button>}
    </div>
  );
}

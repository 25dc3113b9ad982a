/** Always visible: connection, changes waiting for the relay, running transfers. */
import { useTranslation } from 'react-i18next';
import { useSession } from '../state/session-store.js';
import { shownConnection, useOnline } from './use-online.js';

export function StatusBar() {
  const { t } = useTranslation();
  const status = useSession((s) => s.status);
  const transfers = status.transfers.length;
  const connection = shownConnection(status.connection, useOnline());
  return (
    <div className="status-bar" role="status" aria-label={t('status.label')} data-connection={connection} data-pending={status.pending}>
      <span className={`dot ${connection}`} aria-hidden="true" />
      <span>{t(`status.${connection}`)}</span>
      <span className="muted">{status.pending > 0 ? t('status.pending', { count: status.pending }) : t('status.allSynced')}</span>
      {transfers > 0 && <span className="muted">{t('status.transfers', { count: transfers })}</span>}
    </div>
  );
}

/** Version history of the selected item, with restore. Escape closes it. */
import { useTranslation } from 'react-i18next';
import { Dialog } from '../../app/dialog.js';
import { useFormat } from '../../i18n/use-format.js';
import { restoreVersion } from '../../state/vault-actions.js';
import { useVaultData } from '../../state/vault-data.js';

export function HistoryPanel({ share, item, readOnly }: { share: string; item: string; readOnly: boolean }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const history = useVaultData((s) => s.history);
  if (!history) return null;
  const close = () => useVaultData.setState({ history: null });
  const newest = Math.max(...history.map((h) => h.version));
  return (
    <Dialog labelledBy="history-title" onCancel={close}>
        <h2 id="history-title">{t('history.title')}</h2>
        <ol className="versions">
          {[...history].sort((a, b) => b.version - a.version).map((v) => (
            <li key={v.version}>
              <span>{t('history.byline', { version: v.version, when: fmt.dateTime(v.updatedAt), who: fmt.person(v.author) })}</span>
              {v.version === newest ? (
                <span className="badge">{t('history.current')}</span>
              ) : (
                !readOnly && <button type="button" onClick={() => void restoreVersion(share, item, v.version)}>{t('history.restore', { version: v.version })}</button>
              )}
            </li>
          ))}
        </ol>
        {history.length === 1 && <p className="muted">{t('history.onlyVersion')}</p>}
        <div className="actions">
          <button type="button" onClick={close} data-autofocus>{t('common.close')}</button>
        </div>
    </Dialog>
  );
}

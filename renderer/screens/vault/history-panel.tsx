/**
 * Version history of the selected item. A version is shown first (VersionPreview: a note's text
 * with its differences to the current text, a file's preview) and restored from there.
 * Escape goes back from a shown version to the list, and closes the list.
 */
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from '../../app/dialog.js';
import { showVersion } from '../../state/file-actions.js';
import { useVaultData } from '../../state/vault-data.js';
import { closeVersionView, useVersionView } from '../../state/version-view.js';
import { formatBytes } from './file-view.js';
import { VersionPreview } from './version-preview.js';

export function HistoryPanel({ share, item, readOnly }: { share: string; item: string; readOnly: boolean }) {
  const { t, i18n } = useTranslation();
  const history = useVaultData((s) => s.history);
  const shown = useVersionView((s) => (s.shown?.item === item ? s.shown : null));
  const loading = useVersionView((s) => s.loading);
  const isFile = useVaultData((s) => s.items.find((i) => i.id === item)?.kind === 'file');
  // Back from a shown version to the list: the focus goes to Close again (the Back button is gone).
  const closeRef = useRef<HTMLButtonElement>(null);
  const wasShown = useRef(false);
  useEffect(() => {
    if (wasShown.current && !shown) closeRef.current?.focus();
    wasShown.current = !!shown;
  }, [shown]);
  if (!history) return null;
  const close = () => {
    closeVersionView();
    useVaultData.setState({ history: null });
  };
  const onCancel = () => {
    if (useVersionView.getState().shown) closeVersionView();
    else close();
  };
  const newest = Math.max(...history.map((h) => h.version));
  return (
    <Dialog labelledBy="history-title" className={shown ? 'preview' : undefined} onCancel={onCancel}>
      <h2 id="history-title">{t('history.title')}</h2>
      {shown ? (
        <VersionPreview share={share} shown={shown} readOnly={readOnly} />
      ) : (
        <>
          <ol className="versions">
            {[...history].sort((a, b) => b.version - a.version).map((v) => (
              <li key={v.version}>
                <span>
                  v{v.version} · {new Date(v.updatedAt).toLocaleString(i18n.language)} · {v.author}
                  {isFile ? ` · ${formatBytes(v.size)}` : ''}
                  {v.version === newest && <> <span className="badge">{t('history.current')}</span></>}
                </span>
                <button type="button" aria-busy={loading === v.version} onClick={() => void showVersion(share, item, v.version)}>
                  {t('versions.view', { version: v.version })}
                </button>
              </li>
            ))}
          </ol>
          {history.length <= 1 && <p className="muted small">{t('versions.onlyOne')}</p>}
          <div className="actions">
            <button type="button" ref={closeRef} onClick={close} data-autofocus>{t('common.close')}</button>
          </div>
        </>
      )}
    </Dialog>
  );
}

/**
 * The files being encrypted and uploaded: a progress bar and a Cancel button for each of the first
 * few (the running ones, then the next in line), and one line for the rest ("57 more files
 * waiting", Cancel all): a folder of 1 000 documents renders six rows, not 1 000.
 */
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { cancelAllUploads, cancelUpload } from '../../state/file-actions.js';
import { useVaultData, type Upload } from '../../state/vault-data.js';

/** Rows shown with their own bar. */
const SHOWN = 5;

export function UploadList() {
  const { t } = useTranslation();
  const uploads = useVaultData((s) => s.uploads);
  if (uploads.length === 0) return null;
  const more = uploads.length - SHOWN;
  // the running ones first (a new version may start after files added later), then the next in line
  const rows = [...uploads.filter((u) => !u.waiting), ...uploads.filter((u) => u.waiting)].slice(0, SHOWN);
  return (
    <ul className="uploads" aria-label={t('status.transfers_other', { count: uploads.length })}>
      {rows.map((u) => <UploadRow key={u.id} upload={u} />)}
      {more > 0 && (
        <li className="more">
          <span className="small muted">{t('file.moreWaiting', { count: more })}</span>
          <button type="button" className="small" onClick={cancelAllUploads}>{t('file.cancelAll')}</button>
        </li>
      )}
    </ul>
  );
}

/** One file's row; re-rendered only when its own upload changes. */
const UploadRow = memo(function UploadRow({ upload: u }: { upload: Upload }) {
  const { t } = useTranslation();
  return (
    <li>
      <label>
        <span className="small">{t(u.waiting ? 'file.waiting' : u.replacing ? 'file.replacing' : 'file.uploading', { name: u.name })}</span>
        <progress max={Math.max(1, u.total)} value={u.done} />
      </label>
      <button type="button" className="small" aria-label={t('file.cancelUploadOf', { name: u.name })} onClick={() => cancelUpload(u.id)}>{t('common.cancel')}</button>
    </li>
  );
});

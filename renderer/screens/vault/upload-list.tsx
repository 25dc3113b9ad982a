/** A progress bar per file being encrypted and uploaded, each with a Cancel button. */
import { useTranslation } from 'react-i18next';
import { cancelUpload } from '../../state/file-actions.js';
import { useVaultData } from '../../state/vault-data.js';

export function UploadList() {
  const { t } = useTranslation();
  const uploads = useVaultData((s) => s.uploads);
  if (uploads.length === 0) return null;
  return (
    <ul className="uploads" aria-label={t('status.transfers_other', { count: uploads.length })}>
      {uploads.map((u) => (
        <li key={u.id}>
          <label>
            <span className="small">{t(u.waiting ? 'file.waiting' : u.replacing ? 'file.replacing' : 'file.uploading', { name: u.name })}</span>
            <progress max={Math.max(1, u.total)} value={u.done} />
          </label>
          <button type="button" className="small" aria-label={t('file.cancelUploadOf', { name: u.name })} onClick={() => cancelUpload(u.id)}>{t('file.cancelUpload')}</button>
        </li>
      ))}
    </ul>
  );
}

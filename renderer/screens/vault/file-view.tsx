/** The selected file: its details, preview, explicit export of a decrypted copy, a new version, history, delete. */
import { useTranslation } from 'react-i18next';
import type { ItemSummary } from '../../../core/vault-api.js';
import { useServices } from '../../app/services.js';
import { replaceWithNewVersion } from '../../state/file-actions.js';
import { deleteItem, exportFile, openHistory, openPreview } from '../../state/vault-actions.js';

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

export function FileView({ item, readOnly }: { item: ItemSummary; readOnly: boolean }) {
  const { t, i18n } = useTranslation();
  const { platform } = useServices();
  const replace = async () => {
    const [file] = await platform.openFiles({ multiple: false });
    if (file) await replaceWithNewVersion(item.share, item, file);
  };
  return (
    <section className="file-view" aria-label={t('items.file')} data-version={item.version}>
      <h2 className="file-name">{item.title}</h2>
      {item.conflictOf && <p className="badge warn">{t('items.conflict')}</p>}
      <p className="muted">
        {formatBytes(item.size ?? 0)} · {item.mime ?? 'application/octet-stream'} · {new Date(item.updatedAt).toLocaleString(i18n.language)} · {item.author}
      </p>
      <div className="actions left">
        <button type="button" className="primary" onClick={() => void openPreview(item.share, item.id)}>{t('file.preview')}</button>
        <button type="button" onClick={() => void exportFile(platform, item.share, item.id, item.title)}>{t('file.export')}</button>
        {!readOnly && <button type="button" onClick={() => void replace()}>{t('file.replace')}</button>}
        <button type="button" onClick={() => void openHistory(item.share, item.id)}>{t('history.open')}</button>
        {!readOnly && (
          <button type="button" className="danger" onClick={() => window.confirm(t('note.deleteConfirm')) && void deleteItem(item.share, item.id)}>{t('note.delete')}</button>
        )}
      </div>
    </section>
  );
}

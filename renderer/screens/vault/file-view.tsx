/** The selected file: its details, preview, explicit export of a decrypted copy, a new version, history, delete. */
import { useTranslation } from 'react-i18next';
import type { ItemSummary } from '../../../core/vault-api.js';
import { useServices } from '../../app/services.js';
import { Download, Eye, FileUp, History } from 'lucide-react';
import { replaceWithNewVersion } from '../../state/file-actions.js';
import { exportFile, openHistory, openPreview } from '../../state/vault-actions.js';
import { DeleteItemButton, FavouriteToggle } from './item-actions.js';

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
        <button type="button" className="primary" onClick={() => void openPreview(item.share, item.id)}><Eye className="icon" size={16} aria-hidden="true" />{t('file.preview')}</button>
        <button type="button" onClick={() => void exportFile(platform, item.share, item.id, item.title)}><Download className="icon" size={16} aria-hidden="true" />{t('file.export')}</button>
        {!readOnly && <button type="button" onClick={() => void replace()}><FileUp className="icon" size={16} aria-hidden="true" />{t('file.replace')}</button>}
        <button type="button" onClick={() => void openHistory(item.share, item.id)}><History className="icon" size={16} aria-hidden="true" />{t('history.open')}</button>
        <FavouriteToggle share={item.share} item={item.id} />
        {!readOnly && <DeleteItemButton share={item.share} item={item.id} name={item.title} />}
      </div>
    </section>
  );
}

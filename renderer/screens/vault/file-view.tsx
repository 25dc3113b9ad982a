/** The selected file: its details, preview, explicit export of a decrypted copy, a new version, history, delete. */
import { useTranslation } from 'react-i18next';
import type { ItemSummary } from '../../../core/vault-api.js';
import { useServices } from '../../app/services.js';
import { Download, Eye, FileUp, History } from 'lucide-react';
import { displayTitle, formatSize } from '../../i18n/format.js';
import { useFormat } from '../../i18n/use-format.js';
import { replaceWithNewVersion } from '../../state/file-actions.js';
import { exportFile, openHistory, openPreview } from '../../state/vault-actions.js';
import { DeleteItemButton, FavouriteToggle } from './item-actions.js';

/** Bytes in English number format; screens use useFormat().size (the user's language). */
export function formatBytes(n: number): string {
  return formatSize(n, 'en', []);
}

export function FileView({ item, readOnly }: { item: ItemSummary; readOnly: boolean }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { platform } = useServices();
  const replace = async () => {
    const [file] = await platform.openFiles({ multiple: false });
    if (file) await replaceWithNewVersion(item.share, item, file);
  };
  return (
    <section className="file-view" aria-label={t('items.file')} data-version={item.version}>
      <h2 className="file-name">{displayTitle(item.title, !!item.conflictOf, fmt.lang, { copy: t('items.conflictInTitle'), untitled: t('items.untitled') })}</h2>
      {item.conflictOf && <p className="badge warn">{t('items.conflict')}</p>}
      <p className="muted">
        {fmt.size(item.size ?? 0)} · {item.mime ?? 'application/octet-stream'} · {fmt.dateTime(item.updatedAt)} · {fmt.person(item.author)}
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

/** The selected file: its details, preview, explicit export of a decrypted copy, history, delete. */
import { useTranslation } from 'react-i18next';
import type { ItemSummary } from '../../../core/vault-api.js';
import { useServices } from '../../app/services.js';
import { formatSize } from '../../i18n/format.js';
import { useFormat } from '../../i18n/use-format.js';
import { deleteItem, exportFile, openHistory, openPreview } from '../../state/vault-actions.js';

/** Bytes in English number format; screens use useFormat().size (the user's language). */
export function formatBytes(n: number): string {
  return formatSize(n, 'en', []);
}

export function FileView({ item, readOnly }: { item: ItemSummary; readOnly: boolean }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { platform } = useServices();
  return (
    <section className="file-view" aria-label={t('items.file')}>
      <h2 className="file-name">{item.title}</h2>
      {item.conflictOf && <p className="badge warn">{t('items.conflict')}</p>}
      <p className="muted">
        {fmt.size(item.size ?? 0)} · {item.mime ?? 'application/octet-stream'} · {fmt.dateTime(item.updatedAt)} · {fmt.person(item.author)}
      </p>
      <div className="actions left">
        <button type="button" className="primary" onClick={() => void openPreview(item.share, item.id)}>{t('file.preview')}</button>
        <button type="button" onClick={() => void exportFile(platform, item.share, item.id, item.title)}>{t('file.export')}</button>
        <button type="button" onClick={() => void openHistory(item.share, item.id)}>{t('history.open')}</button>
        {!readOnly && (
          <button type="button" className="danger" onClick={() => window.confirm(t('note.deleteConfirm')) && void deleteItem(item.share, item.id)}>{t('note.delete')}</button>
        )}
      </div>
    </section>
  );
}

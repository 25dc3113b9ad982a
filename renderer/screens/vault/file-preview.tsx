/** The in-app preview dialog (R6): image, PDF or text, decrypted into memory only. */
import { useTranslation } from 'react-i18next';
import { X } from 'lucide-react';
import { Dialog } from '../../app/dialog.js';
import { closePreview, useVaultData, type Preview } from '../../state/vault-data.js';
import { PdfView } from './pdf-view.js';

export function FilePreview() {
  const { t } = useTranslation();
  const preview = useVaultData((s) => s.preview);
  if (!preview) return null;
  return (
    <Dialog label={`${t('file.preview')}: ${preview.name}`} className="preview" onCancel={closePreview}>
      <header className="editor-bar">
        <h2>{preview.name}</h2>
        <button type="button" onClick={closePreview} data-autofocus><X className="icon" size={16} aria-hidden="true" />{t('file.closePreview')}</button>
      </header>
      <PreviewBody preview={preview} />
    </Dialog>
  );
}

/** The decrypted content of a preview (also shown for an older version in the history). */
export function PreviewBody({ preview }: { preview: Preview }) {
  const { t } = useTranslation();
  return (
    <div className="preview-body">
      {preview.kind === 'image' && preview.url && <img src={preview.url} alt={preview.name} />}
      {preview.kind === 'text' && <pre className="text-preview">{preview.text}</pre>}
      {preview.kind === 'pdf' && preview.bytes && <PdfView bytes={preview.bytes} name={preview.name} />}
      {preview.kind === 'none' && <p className="muted">{t('file.noPreview')}</p>}
    </div>
  );
}

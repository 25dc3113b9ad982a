/** The in-app preview dialog (R6): image, PDF or text, decrypted into memory only. */
import { useTranslation } from 'react-i18next';
import { closePreview, useVaultData, type Preview } from '../../state/vault-data.js';
import { PdfView } from './pdf-view.js';

export function FilePreview() {
  const { t } = useTranslation();
  const preview = useVaultData((s) => s.preview);
  if (!preview) return null;
  return (
    <div className="dialog-backdrop">
      <section role="dialog" aria-modal="true" aria-label={`${t('file.preview')}: ${preview.name}`} className="dialog preview" onKeyDown={(e) => e.key === 'Escape' && closePreview()}>
        <header className="editor-bar">
          <h2>{preview.name}</h2>
          <button type="button" onClick={closePreview} autoFocus>{t('file.closePreview')}</button>
        </header>
        <PreviewBody preview={preview} />
      </section>
    </div>
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

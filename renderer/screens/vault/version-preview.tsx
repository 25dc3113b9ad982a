/** One version inside the history dialog, before it is restored: note text + line diff, or a file preview. */
import { useTranslation } from 'react-i18next';
import { restoreVersion } from '../../state/vault-actions.js';
import { closeVersionView, type VersionShown } from '../../state/version-view.js';
import { PreviewBody } from './file-preview.js';

export function VersionPreview({ share, shown, readOnly }: { share: string; shown: VersionShown; readOnly: boolean }) {
  const { t } = useTranslation();
  const restore = async () => {
    const { item, version } = shown;
    closeVersionView();
    await restoreVersion(share, item, version);
  };
  const changed = shown.kind === 'note' && shown.diff.some((d) => d.kind !== 'same');
  return (
    <div className="version-preview" data-version={shown.version}>
      <h3>
        {t('versions.heading', { version: shown.version })}
        {shown.current && <> <span className="badge">{t('history.current')}</span></>}
      </h3>
      {shown.kind === 'note' ? (
        <>
          <p className="version-title"><strong>{shown.title}</strong></p>
          <pre className="text-preview" aria-label={t('versions.text', { version: shown.version })}>{shown.body}</pre>
          {!shown.current && (
            <section aria-label={t('versions.diff')}>
              <h4>{t('versions.diff')}</h4>
              {changed ? (
                <pre className="line-diff">
                  {shown.diff.map((d, i) => (
                    <div key={i} className={`diff-${d.kind}`}>
                      <span aria-hidden="true">{d.kind === 'added' ? '+ ' : d.kind === 'removed' ? '− ' : '  '}</span>
                      {d.kind !== 'same' && <span className="sr-only">{t(`versions.${d.kind}`)} </span>}
                      {d.text}
                    </div>
                  ))}
                </pre>
              ) : (
                <p className="muted small">{t('versions.sameText')}</p>
              )}
            </section>
          )}
        </>
      ) : (
        <PreviewBody preview={shown.preview} />
      )}
      <div className="actions">
        <button type="button" onClick={closeVersionView} autoFocus>{t('versions.back')}</button>
        {!shown.current && !readOnly && (
          <button type="button" className="primary" onClick={() => void restore()}>{t('versions.restore')}</button>
        )}
      </div>
    </div>
  );
}

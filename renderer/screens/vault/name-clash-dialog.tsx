/**
 * Asked during an import when the share already holds a file of the same name: replace it with
 * a new version, keep both (the new one gets a distinct name), or cancel this file. With more
 * clashing files in the same import, a checkbox applies the answer to all of them.
 * Styled as the app's confirmation dialog (modal, Escape cancels, the safe choice has the focus).
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNameClash, type ClashChoice } from '../../state/name-clash.js';

export function NameClashDialog() {
  const ask = useNameClash((s) => s.ask);
  if (!ask) return null;
  return <Question key={`${ask.name}:${ask.others}`} />;
}

function Question() {
  const { t } = useTranslation();
  const ask = useNameClash((s) => s.ask)!;
  const [all, setAll] = useState(false);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const answer = (choice: ClashChoice) => ask.answer({ choice, all });
  const latest = useRef(answer);
  latest.current = answer;
  useEffect(() => {
    cancelRef.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') latest.current('cancel');
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return (
    <div className="modal-backdrop">
      <div className="modal" role="alertdialog" aria-modal="true" aria-labelledby="clash-title" aria-describedby="clash-text">
        <h2 id="clash-title" className="modal-title">{t('clash.title')}</h2>
        <p id="clash-text">{t('clash.text', { name: ask.name })}</p>
        {ask.others > 0 && (
          <label className="inline small">
            <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} />
            {t('clash.all', { count: ask.others })}
          </label>
        )}
        <div className="row-end">
          <button type="button" ref={cancelRef} onClick={() => answer('cancel')}>{t('clash.cancel')}</button>
          <button type="button" onClick={() => answer('keep')}>{t('clash.keep')}</button>
          <button type="button" className="primary" onClick={() => answer('replace')}>{t('clash.replace')}</button>
        </div>
      </div>
    </div>
  );
}

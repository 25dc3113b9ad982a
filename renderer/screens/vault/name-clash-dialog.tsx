/**
 * Asked during an import when the share already holds a file of the same name: replace it with
 * a new version, keep both (the new one gets a distinct name), or cancel this file. With more
 * clashing files in the same import, a checkbox applies the answer to all of them.
 * The app's one dialog (app/dialog.tsx): modal, Escape cancels, the safe choice has the focus.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from '../../app/dialog.js';
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
  const answer = (choice: ClashChoice) => ask.answer({ choice, all });
  return (
    <Dialog role="alertdialog" labelledBy="clash-title" className="confirm" onCancel={() => answer('cancel')}>
      <h2 id="clash-title" className="dialog-title">{t('clash.title')}</h2>
      <p id="clash-text">{t('clash.text', { name: ask.name })}</p>
      {ask.others > 0 && (
        <label className="inline small">
          <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} />
          {t('clash.all', { count: ask.others })}
        </label>
      )}
      <div className="row-end">
        <button type="button" onClick={() => answer('cancel')} data-autofocus>{t('clash.cancel')}</button>
        <button type="button" onClick={() => answer('keep')}>{t('clash.keep')}</button>
        <button type="button" className="primary" onClick={() => answer('replace')}>{t('clash.replace')}</button>
      </div>
    </Dialog>
  );
}

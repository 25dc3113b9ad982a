/** Edits the open note; every change autosaves after a short pause (vault-actions.editNote). */
import { useTranslation } from 'react-i18next';
import { History } from 'lucide-react';
import { editNote, flushNote, openHistory } from '../../state/vault-actions.js';
import { useVaultData } from '../../state/vault-data.js';
import { DeleteItemButton, FavouriteToggle } from './item-actions.js';

export function NoteEditor({ readOnly }: { readOnly: boolean }) {
  const { t } = useTranslation();
  const note = useVaultData((s) => s.note);
  if (!note) return null;
  const state = note.save === 'saving' ? t('note.saving') : note.save === 'saved' ? t('note.saved') : t('note.unsaved');
  return (
    <section className="note-editor" aria-label={t('items.note')}>
      <div className="editor-bar">
        <span className="muted small" role="status" data-save-state={note.save}>{state}</span>
        {note.item && (
          <>
            <FavouriteToggle share={note.share} item={note.item} />
            <button type="button" onClick={() => void openHistory(note.share, note.item!)}><History className="icon" size={16} aria-hidden="true" />{t('history.open')}</button>
            {!readOnly && <DeleteItemButton share={note.share} item={note.item} name={note.title} />}
          </>
        )}
      </div>
      <label className="sr-label">
        <span>{t('note.title')}</span>
        <input className="note-title" autoComplete="off" value={note.title} readOnly={readOnly} onChange={(e) => editNote({ title: e.target.value })} onBlur={() => void flushNote()} placeholder={t('note.title')} autoFocus={!note.item} />
      </label>
      <label className="sr-label">
        <span>{t('note.tags')}</span>
        <input autoComplete="off" value={note.tags} readOnly={readOnly} onChange={(e) => editNote({ tags: e.target.value })} onBlur={() => void flushNote()} placeholder={t('note.tags')} />
      </label>
      <label className="sr-label grow">
        <span>{t('note.body')}</span>
        <textarea className="note-body" autoComplete="off" value={note.body} readOnly={readOnly} onChange={(e) => editNote({ body: e.target.value })} onBlur={() => void flushNote()} placeholder={t('note.body')} />
      </label>
    </section>
  );
}

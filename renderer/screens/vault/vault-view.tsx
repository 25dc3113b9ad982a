/**
 * The everyday vault: shares in the sidebar; the current share's items (search, sort, tags);
 * the open note or file; files added by drag-and-drop or the picker with progress per file.
 */
import { useEffect, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useServices } from '../../app/services.js';
import { pickedFromFile } from '../../platform/web-platform.js';
import { useSession } from '../../state/session-store.js';
import { importFiles } from '../../state/file-actions.js';
import { loadItems, loadShares, newNote, refreshOpenNote } from '../../state/vault-actions.js';
import { useVaultData } from '../../state/vault-data.js';
import { FilePreview } from './file-preview.js';
import { FileView } from './file-view.js';
import { HistoryPanel } from './history-panel.js';
import { ItemList } from './item-list.js';
import { NameClashDialog } from './name-clash-dialog.js';
import { NoteEditor } from './note-editor.js';
import { Sidebar } from './sidebar.js';
import { UploadList } from './upload-list.js';

export function VaultView() {
  const { t } = useTranslation();
  const { platform } = useServices();
  const vault = useSession((s) => s.vault);
  const share = useSession((s) => s.currentShare);
  const isGuest = useSession((s) => s.isGuest);
  // Narrow selectors: a keystroke in the note editor must not re-render the list's parent.
  const shares = useVaultData((s) => s.shares);
  const selected = useVaultData((s) => s.selected);
  const hasNote = useVaultData((s) => s.note !== null);
  const selectedItem = useVaultData((s) => (s.selected ? s.items.find((i) => i.id === s.selected) : undefined));
  const [dragging, setDragging] = useState(false);

  useEffect(() => {
    if (!vault) return;
    void loadShares();
    return vault.onChange((changed) => {
      void loadShares();
      if (changed === useSession.getState().currentShare) void loadItems(changed).then(refreshOpenNote);
    });
  }, [vault]);
  useEffect(() => {
    if (share) void loadItems(share);
  }, [share]);

  const current = shares.find((s) => s.id === share);
  const readOnly = !current || current.myRole === 'viewer' || current.myRole === 'guest-read';
  const drop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    if (share && !readOnly) void importFiles(share, [...e.dataTransfer.files].map(pickedFromFile));
  };
  const pick = async () => {
    const files = await platform.openFiles({ multiple: true });
    if (share && files.length) await importFiles(share, files);
  };

  return (
    <div className="vault">
      <Sidebar />
      <main className={dragging ? 'share-view dragging' : 'share-view'} onDragOver={(e) => { e.preventDefault(); setDragging(!readOnly); }} onDragLeave={() => setDragging(false)} onDrop={drop} aria-labelledby="share-title">
        {current && (
          <header className="share-header">
            <h1 id="share-title">{current.name}</h1>
            {readOnly && <span className="badge">{t('items.readOnly')}</span>}
            <div className="actions left">
              {!readOnly && <button type="button" className="primary" onClick={() => newNote(current.id)}>{t('items.newNote')}</button>}
              {!readOnly && <button type="button" onClick={() => void pick()}>{t('items.addFiles')}</button>}
              {!isGuest && <button type="button" onClick={() => useSession.getState().go('share', current.id)}>{t('nav.shareSettings')}</button>}
              {!isGuest && <button type="button" onClick={() => useSession.getState().go('activity', current.id)}>{t('nav.activity')}</button>}
            </div>
            {!readOnly && <p className="muted small drop-hint">{t('items.dropHint')}</p>}
          </header>
        )}
        <UploadList />
        <div className="columns">
          <ItemList />
          <div className="detail">
            {hasNote ? <NoteEditor readOnly={readOnly} /> : selectedItem?.kind === 'file' ? <FileView item={selectedItem} readOnly={readOnly} /> : <p className="muted">{t('items.selectHint')}</p>}
          </div>
        </div>
        {share && selected && <HistoryPanel share={share} item={selected} readOnly={readOnly} />}
        <FilePreview />
        <NameClashDialog />
      </main>
    </div>
  );
}

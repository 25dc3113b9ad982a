/**
 * The everyday vault: shares in the sidebar; the current share's items (search, sort, tags);
 * the open note or file; files added by drag-and-drop or the picker with progress per file.
 */
import { useEffect, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Activity, FilePlus, FolderLock, MousePointerClick, NotebookPen, Settings2 } from 'lucide-react';
import { useServices } from '../../app/services.js';
import { pickedFromFile } from '../../platform/web-platform.js';
import { useSession } from '../../state/session-store.js';
import { countShares, loadFavourites } from '../../state/favourites.js';
import { importFiles } from '../../state/file-actions.js';
import { createShare, loadItems, loadShares, newNote, refreshOpenNote } from '../../state/vault-actions.js';
import { useVaultData } from '../../state/vault-data.js';
import { EmptyState } from './empty-state.js';
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
  const [sharesLoaded, setSharesLoaded] = useState(false);

  useEffect(() => {
    if (!vault) return;
    void loadShares().then(() => {
      setSharesLoaded(true);
      void countShares(useVaultData.getState().shares.map((s) => s.id));
    });
    return vault.onChange((changed) => {
      void loadShares();
      if (changed === useSession.getState().currentShare) void loadItems(changed).then(refreshOpenNote);
    });
  }, [vault]);
  useEffect(() => {
    if (!share) return;
    void loadItems(share);
    void loadFavourites(share);
  }, [share]);

  const current = shares.find((s) => s.id === share);
  const readOnly = !current || current.myRole === 'viewer' || current.myRole === 'guest-read';
  const drop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    if (share && !readOnly) void importFiles(share, [...e.dataTransfer.files].map(pickedFromFile));
  };
  // The empty vault's "New note": a first share is created for it (named in the empty state's words).
  const firstNote = async () => {
    if (!useSession.getState().currentShare) await createShare(t('design.firstShareName'));
    const created = useSession.getState().currentShare;
    if (created) newNote(created);
  };
  const pick = async () => {
    const files = await platform.openFiles({ multiple: true });
    if (share && files.length) await importFiles(share, files);
  };

  if (sharesLoaded && shares.length === 0) {
    return (
      <div className="vault">
        <Sidebar />
        <main className="vault-empty" aria-label={t('design.emptyVaultTitle')}>
          <EmptyState icon={FolderLock} title={t('design.emptyVaultTitle')} testId="empty-vault"
            action={!isGuest && <button type="button" className="primary" onClick={() => void firstNote()}><NotebookPen className="icon" size={16} aria-hidden="true" />{t('items.newNote')}</button>}>
            {isGuest ? t('design.emptyVaultGuest') : t('design.emptyVaultText', { name: t('design.firstShareName') })}
          </EmptyState>
        </main>
      </div>
    );
  }
  return (
    <div className="vault">
      <Sidebar />
      <main className={dragging ? 'share-view dragging' : 'share-view'} onDragOver={(e) => { e.preventDefault(); setDragging(!readOnly); }} onDragLeave={() => setDragging(false)} onDrop={drop} aria-labelledby="share-title">
        {current && (
          <header className="share-header">
            <h1 id="share-title">{current.name}</h1>
            {readOnly && <span className="badge">{t('items.readOnly')}</span>}
            <div className="actions left">
              {!readOnly && <button type="button" className="primary" onClick={() => newNote(current.id)}><NotebookPen className="icon" size={16} aria-hidden="true" />{t('items.newNote')}</button>}
              {!readOnly && <button type="button" onClick={() => void pick()}><FilePlus className="icon" size={16} aria-hidden="true" />{t('items.addFiles')}</button>}
              {!isGuest && <button type="button" onClick={() => useSession.getState().go('share', current.id)}><Settings2 className="icon" size={16} aria-hidden="true" />{t('nav.shareSettings')}</button>}
              {!isGuest && <button type="button" onClick={() => useSession.getState().go('activity', current.id)}><Activity className="icon" size={16} aria-hidden="true" />{t('nav.activity')}</button>}
            </div>
            {!readOnly && <p className="muted small drop-hint">{t('items.dropHint')}</p>}
          </header>
        )}
        <UploadList />
        <div className="columns">
          <ItemList onFirstNote={readOnly || !current ? undefined : () => newNote(current.id)} />
          <div className="detail">
            {hasNote ? <NoteEditor readOnly={readOnly} /> : selectedItem?.kind === 'file' ? <FileView item={selectedItem} readOnly={readOnly} /> : <EmptyState icon={MousePointerClick} title={t('design.noSelectionTitle')}>{t('items.selectHint')}</EmptyState>}
          </div>
        </div>
        {share && selected && <HistoryPanel share={share} item={selected} readOnly={readOnly} />}
        <FilePreview />
        <NameClashDialog />
      </main>
    </div>
  );
}

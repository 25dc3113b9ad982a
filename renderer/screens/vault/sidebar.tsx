/** The shares of this vault with their item counts, pending invitations, and "+ New share" for members. */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Folder, FolderOpen } from 'lucide-react';
import { useFavourites } from '../../state/favourites.js';
import { useSession } from '../../state/session-store.js';
import { createShare, selectShare } from '../../state/vault-actions.js';
import { useVaultData } from '../../state/vault-data.js';
import { InvitationList } from './invitation-list.js';

export function Sidebar() {
  const { t } = useTranslation();
  const shares = useVaultData((s) => s.shares);
  const current = useSession((s) => s.currentShare);
  const isGuest = useSession((s) => s.isGuest);
  const counts = useFavourites((s) => s.counts);
  const [adding, setAdding] = useState(false);
  const [name, setName] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return;
    void createShare(name.trim()).then(() => {
      setName('');
      setAdding(false);
    });
  };
  return (
    <nav className="sidebar" aria-label={t('sidebar.shares')}>
      <h2>{t('sidebar.shares')}</h2>
      {shares.length === 0 && <p className="muted small">{t('sidebar.none')}</p>}
      <ul>
        {shares.map((s) => (
          <li key={s.id}>
            <button type="button" className={s.id === current ? 'share current' : 'share'} aria-current={s.id === current ? 'true' : undefined} onClick={() => selectShare(s.id)}>
              {s.id === current ? <FolderOpen className="icon" size={16} aria-hidden="true" /> : <Folder className="icon" size={16} aria-hidden="true" />}
              <span className="share-name">{s.name}</span>
              {s.myRole.startsWith('guest') && <span className="badge">{t('sidebar.guest')}</span>}
              {counts[s.id] !== undefined && (
                <span className="count" data-testid="share-count" data-count={counts[s.id]}>
                  <span aria-hidden="true">{counts[s.id]}</span>
                  <span className="visually-hidden">{t('design.shareCount', { count: counts[s.id] })}</span>
                </span>
              )}
            </button>
          </li>
        ))}
      </ul>
      {!isGuest && !adding && (
        <button type="button" className="link" onClick={() => setAdding(true)}>+ {t('sidebar.newShare')}</button>
      )}
      {adding && (
        <form onSubmit={submit} className="new-share" onKeyDown={(e) => e.key === 'Escape' && setAdding(false)}>
          <label>
            {t('sidebar.newShareName')}
            <input value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" autoFocus required />
          </label>
          <div className="actions">
            <button type="button" onClick={() => setAdding(false)}>{t('common.cancel')}</button>
            <button type="submit" className="primary">{t('sidebar.create')}</button>
          </div>
        </form>
      )}
      <InvitationList />
    </nav>
  );
}

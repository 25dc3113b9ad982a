/** The shares of this vault, pending invitations, and "+ New share" for members. */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../state/session-store.js';
import { createShare, selectShare } from '../../state/vault-actions.js';
import { useVaultData } from '../../state/vault-data.js';
import { InvitationList } from './invitation-list.js';

export function Sidebar() {
  const { t } = useTranslation();
  const shares = useVaultData((s) => s.shares);
  const current = useSession((s) => s.currentShare);
  const isGuest = useSession((s) => s.isGuest);
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
              {s.name || <span className="muted">{t(s.nameUnreadable ? 'sidebar.nameUnreadable' : 'sidebar.nameLoading')}</span>}
              {s.myRole.startsWith('guest') && <span className="badge">{t('sidebar.guest')}</span>}
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

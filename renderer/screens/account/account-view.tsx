/** Account: change password, show the emergency kit again, export everything decrypted (R15), what the relay stores (R15), delete account (R15). */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Platform } from '../../platform/platform.js';
import { useSession } from '../../state/session-store.js';
import { ConfirmDialog } from '../admin-common/confirm-dialog.js';
import { ErrorLine } from '../admin-common/error-line.js';
import { ProgressBar } from '../admin-common/progress-bar.js';
import { useAction } from '../admin-common/use-action.js';
import { RelayRecordView } from './relay-record-view.js';
import { KitSection } from './kit-section.js';
import { PasswordInput } from '../../app/password-input.js';

export function AccountView({ platform }: { platform: Platform }) {
  const { t } = useTranslation();
  const vault = useSession((s) => s.vault);
  const lock = useSession((s) => s.lock);
  const action = useAction();
  const [oldPw, setOldPw] = useState('');
  const [newPw, setNewPw] = useState('');
  const [repeat, setRepeat] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const [exporting, setExporting] = useState<{ done: number; total: number } | null>(null);
  const [confirmWord, setConfirmWord] = useState('');
  const [confirmDelete, setConfirmDelete] = useState(false);
  if (!vault) return null;

  const changePassword = async (e: FormEvent) => {
    e.preventDefault();
    setNotice(null);
    if (newPw !== repeat) return setNotice('account.mismatch');
    const ok = await action.run(async () => {
      await vault.changePassword(oldPw, newPw);
      return true;
    });
    if (ok) {
      setOldPw('');
      setNewPw('');
      setRepeat('');
      setNotice('account.passwordChanged');
    }
  };
  const exportAll = async () => {
    setNotice(null);
    setExporting({ done: 0, total: 0 });
    const saved = await action.run(() => platform.saveFile('truhe-export.zip', vault.exportAll((done, total) => setExporting({ done, total }))));
    setExporting(null);
    if (saved) setNotice('account.exported');
  };
  const deleteAccount = async () => {
    setConfirmDelete(false);
    const ok = await action.run(async () => {
      await vault.deleteAccount();
      return true;
    });
    if (ok) await lock();
  };

  return (
    <div className="panel" aria-label={t('account.title')}>
      <h2>{t('account.title')}</h2>
      <section aria-label={t('account.changePassword')}>
        <h3>{t('account.changePassword')}</h3>
        <form className="stack" onSubmit={changePassword}>
          <PasswordInput label={t('account.oldPassword')} autoComplete="current-password" value={oldPw} onChange={(e) => setOldPw(e.target.value)} />
          <PasswordInput label={t('account.newPassword')} autoComplete="new-password" value={newPw} onChange={(e) => setNewPw(e.target.value)} />
          <PasswordInput label={t('account.repeatPassword')} autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.target.value)} />
          <button type="submit" disabled={action.busy || !oldPw || !newPw}>{t('account.changePassword')}</button>
        </form>
      </section>
      <KitSection vault={vault} />
      <section aria-label={t('account.export')}>
        <h3>{t('account.export')}</h3>
        <p className="muted">{t('account.exportHint')}</p>
        <button type="button" onClick={() => void exportAll()} disabled={action.busy}>{t('account.export')}</button>
        {exporting && <ProgressBar label={t('account.export')} done={exporting.done} total={exporting.total} />}
      </section>
      <RelayRecordView vault={vault} />
      <section aria-label={t('account.delete')}>
        <h3>{t('account.delete')}</h3>
        <p className="muted">{t('account.deleteHint')}</p>
        <div className="row">
          <label>{t('account.deleteConfirmLabel')}<input value={confirmWord} onChange={(e) => setConfirmWord(e.target.value)} /></label>
          <button type="button" className="danger" disabled={confirmWord !== t('account.deleteWord')} onClick={() => setConfirmDelete(true)}>{t('account.delete')}</button>
        </div>
      </section>
      {notice && <p role="status">{t(notice)}</p>}
      <ErrorLine code={action.error} onDismiss={action.clear} />
      {confirmDelete && <ConfirmDialog message={t('account.deleteHint')} confirmLabel={t('account.delete')} onConfirm={() => void deleteAccount()} onCancel={() => setConfirmDelete(false)} />}
    </div>
  );
}

/** Unlock this device with the password (the Secret Key is remembered locally, encrypted). */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { FormError } from '../../app/form-error.js';
import { useServices } from '../../app/services.js';
import { LanguagePicker } from '../../app/language-picker.js';
import { useBusy } from '../../app/use-busy.js';
import { useSession } from '../../state/session-store.js';
import { PasswordInput } from '../../app/password-input.js';

export function Unlock() {
  const { t } = useTranslation();
  const { launcher } = useServices();
  const reason = useSession((s) => s.lockReason);
  const [password, setPassword] = useState('');
  const { busy, error, run } = useBusy();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      try {
        const vault = await launcher.unlock(password);
        useSession.getState().open(vault);
      } finally {
        setPassword('');
      }
    });
  };
  return (
    <main className="card-screen" aria-labelledby="unlock-title">
      <form className="card" onSubmit={submit} aria-busy={busy}>
        <h1 id="unlock-title">{t('unlock.title')}</h1>
        {reason && <p className="muted" role="status">{t(`lock.${reason}`)}</p>}
        <PasswordInput label={t('common.password')} autoComplete="current-password" value={password} onChange={(e) => { if (!password) launcher.prepareForPassword(); setPassword(e.target.value); }} required autoFocus />
        <FormError nothingPending code={error} />
        {busy && <p className="muted" role="status">{t('unlock.busy')}</p>}
        <div className="actions">
          <button type="button" onClick={() => useSession.getState().go('welcome')} disabled={busy}>{t('unlock.otherWays')}</button>
          <button type="submit" className="primary" disabled={busy}>{t('unlock.submit')}</button>
        </div>
        <LanguagePicker />
      </form>
    </main>
  );
}

/** Sign in on a new device (R10): the emergency kit's fields plus the password. */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { FormError } from '../../app/form-error.js';
import { useServices } from '../../app/services.js';
import { useBusy } from '../../app/use-busy.js';
import { useSession } from '../../state/session-store.js';
import { PasswordInput } from '../../app/password-input.js';

export function SignInDevice() {
  const { t } = useTranslation();
  const { launcher, relayUrl, deviceName } = useServices();
  const [kit, setKit] = useState({ relayUrl: relayUrl(), teamId: '', accountId: '', secretKey: '' });
  const [password, setPassword] = useState('');
  const { busy, error, run } = useBusy();
  const field = (key: keyof typeof kit, label: string, extra: Record<string, unknown> = {}) => (
    <label>
      {label}
      <input value={kit[key]} onChange={(e) => setKit({ ...kit, [key]: e.target.value })} required spellCheck={false} autoCapitalize="off" autoComplete="off" {...extra} />
    </label>
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const vault = await launcher.signInNewDevice({ kit: { ...kit, secretKey: kit.secretKey.trim() }, password, deviceName });
      setPassword('');
      setKit((k) => ({ ...k, secretKey: '' }));
      useSession.getState().open(vault);
    });
  };
  return (
    <main className="card-screen" aria-labelledby="signin-title">
      <form className="card" onSubmit={submit} aria-busy={busy}>
        <h1 id="signin-title">{t('signIn.title')}</h1>
        {field('relayUrl', t('kit.relay'))}
        {field('teamId', t('kit.teamId'), { autoFocus: true })}
        {field('accountId', t('kit.accountId'))}
        {field('secretKey', t('kit.secretKey'), { autoComplete: 'off', className: 'mono' })}
        <PasswordInput label={t('common.password')} autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        <FormError code={error} />
        {busy && <p className="muted" role="status">{t('signIn.busy')}</p>}
        <div className="actions">
          <button type="button" onClick={() => useSession.getState().go('welcome')} disabled={busy}>{t('common.back')}</button>
          <button type="submit" className="primary" disabled={busy}>{t('signIn.submit')}</button>
        </div>
      </form>
    </main>
  );
}

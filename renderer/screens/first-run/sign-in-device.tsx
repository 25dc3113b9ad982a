/**
 * Sign in on a new device (R10). The setup code from the emergency kit (pasted, or the text of its
 * QR code) fills in server, team id and account id (core/model/setup-code.ts); then only the
 * password and the Secret Key are typed. The three fields stay editable for a kit without a code.
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isVaultError, type VaultErrorCode } from '../../../core/errors.js';
import { parseSetupCode } from '../../../core/model/setup-code.js';
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
  const [setupCode, setSetupCode] = useState('');
  const [codeState, setCodeState] = useState<{ filled: boolean; error: VaultErrorCode | null }>({ filled: false, error: null });
  const { busy, error, run } = useBusy();
  const field = (key: keyof typeof kit, label: string, extra: Record<string, unknown> = {}) => (
    <label>
      {label}
      <input value={kit[key]} onChange={(e) => setKit({ ...kit, [key]: e.target.value })} required spellCheck={false} autoCapitalize="off" autoComplete="off" {...extra} />
    </label>
  );
  const onSetupCode = (text: string) => {
    setSetupCode(text);
    if (!text.trim()) return setCodeState({ filled: false, error: null });
    try {
      const fields = parseSetupCode(text);
      setKit((k) => ({ ...k, relayUrl: fields.relayUrl, teamId: fields.teamId, accountId: fields.accountId }));
      setCodeState({ filled: true, error: null });
    } catch (e) {
      setCodeState({ filled: false, error: isVaultError(e) ? e.code : 'SETUP_CODE_INVALID' });
    }
  };
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
        <label>
          {t('signIn.setupCode')}
          <textarea value={setupCode} onChange={(e) => onSetupCode(e.target.value)} rows={3} spellCheck={false} autoCapitalize="off" autoComplete="off" className="mono" autoFocus aria-describedby="setup-code-hint" />
        </label>
        <p id="setup-code-hint" className="muted">{t('signIn.setupCodeHint')}</p>
        {codeState.filled && <p role="status" className="muted">{t('signIn.setupCodeFilled')}</p>}
        <FormError nothingPending code={codeState.error} />
        <fieldset>
          <legend>{t('signIn.manual')}</legend>
          {field('relayUrl', t('kit.relay'))}
          {field('teamId', t('kit.teamId'))}
          {field('accountId', t('kit.accountId'))}
        </fieldset>
        {field('secretKey', t('kit.secretKey'), { autoComplete: 'off', className: 'mono' })}
        <PasswordInput label={t('common.password')} autoComplete="current-password" value={password} onChange={(e) => { if (!password) launcher.prepareForPassword(); setPassword(e.target.value); }} required />
        <FormError nothingPending code={error} />
        {busy && <p className="muted" role="status">{t('signIn.busy')}</p>}
        <div className="actions">
          <button type="button" onClick={() => useSession.getState().go('welcome')} disabled={busy}>{t('common.back')}</button>
          <button type="submit" className="primary" disabled={busy}>{t('signIn.submit')}</button>
        </div>
      </form>
    </main>
  );
}

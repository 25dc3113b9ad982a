/** Create a team and its owner account: password (with strength meter) twice, then the kit. */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { FormError } from '../../app/form-error.js';
import { useServices } from '../../app/services.js';
import { useBusy } from '../../app/use-busy.js';
import { useSession } from '../../state/session-store.js';
import { PasswordStrength } from './password-strength.js';
import { passwordScore, usePasswordScore } from './zxcvbn.js';

const MIN_SCORE = 3;

export function CreateTeam() {
  const { t } = useTranslation();
  const { launcher, relayUrl, deviceName } = useServices();
  const { open, go } = useSession.getState();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const { busy, error, run } = useBusy();
  const strength = usePasswordScore(password);
  const score = strength?.score ?? 0;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    // the meter may still be loading its dictionaries: score the password here, not from the meter
    if ((strength ?? (await passwordScore(password))).score < MIN_SCORE) return setProblem(t('create.tooWeak'));
    if (password !== confirm) return setProblem(t('create.mismatch'));
    setProblem(null);
    void run(async () => {
      const { vault, kit } = await launcher.createTeam({ relayUrl: relayUrl(), password, deviceName });
      setPassword('');
      setConfirm('');
      open(vault, { kit });
    });
  };

  return (
    <main className="card-screen" aria-labelledby="create-title">
      <form className="card" onSubmit={(e) => void submit(e)} aria-busy={busy}>
        <h1 id="create-title">{t('create.title')}</h1>
        <label>
          {t('create.password')}
          <input type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} required autoFocus aria-describedby="password-strength" />
        </label>
        <PasswordStrength empty={!password} score={score} warning={strength?.warning ?? undefined} />
        <label>
          {t('create.confirm')}
          <input type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} required />
        </label>
        <FormError code={error} text={problem} />
        {busy && <p className="muted" role="status">{t('create.busy')}</p>}
        <div className="actions">
          <button type="button" onClick={() => go('welcome')} disabled={busy}>{t('common.back')}</button>
          <button type="submit" className="primary" disabled={busy}>{t('create.submit')}</button>
        </div>
      </form>
    </main>
  );
}

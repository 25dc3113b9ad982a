/**
 * Create a team and its owner account: the team's name, your name (what colleagues see), a
 * password (with strength meter) twice, and — only when the relay operator requires one — an
 * enrollment token, tucked away behind "Your relay operator gave you a token". Then the kit.
 * Above them, the firm's relay (relay-field.tsx): checked, and switched to with confirmation.
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isVaultError } from '../../../core/errors.js';
import { FormError } from '../../app/form-error.js';
import { useServices } from '../../app/services.js';
import { useBusy } from '../../app/use-busy.js';
import { useSession } from '../../state/session-store.js';
import { NewPasswordFields, useNewPassword } from './new-password.js';
import { RelayField, useRelayChoice } from './relay-field.js';

const NAME_MAX = 80;

export function CreateTeam() {
  const { t } = useTranslation();
  const { launcher, deviceName } = useServices();
  const relay = useRelayChoice();
  const { open, go } = useSession.getState();
  const [teamName, setTeamName] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [token, setToken] = useState('');
  const [showToken, setShowToken] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const pw = useNewPassword();
  const { busy, error, run } = useBusy();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!teamName.trim() || !displayName.trim()) return setProblem(t('create.missingNames'));
    const weak = await pw.check();
    if (weak) return setProblem(weak);
    setProblem(null);
    void run(async () => {
      // The firm's relay first: switched to (asking) and checked, unless that was just done.
      const relayUrl = relay.checked ?? (await relay.ensure());
      if (!relayUrl) return;
      try {
        const { vault, kit } = await launcher.createTeam({
          relayUrl,
          password: pw.password,
          deviceName,
          displayName: displayName.trim(),
          teamName: teamName.trim(),
          ...(token.trim() ? { enrollmentToken: token.trim() } : {}),
        });
        pw.clear();
        open(vault, { kit });
      } catch (err) {
        if (isVaultError(err, 'ENROLLMENT_REQUIRED')) setShowToken(true); // the words point at the token field: open it
        throw err;
      }
    });
  };

  return (
    <main className="card-screen" aria-labelledby="create-title">
      <form className="card" onSubmit={(e) => void submit(e)} aria-busy={busy}>
        <h1 id="create-title">{t('create.title')}</h1>
        <RelayField relay={relay} id="create-relay" />
        <label>
          {t('create.teamName')}
          <input value={teamName} onChange={(e) => setTeamName(e.target.value)} maxLength={NAME_MAX} required autoFocus autoComplete="organization" />
        </label>
        <label>
          {t('create.displayName')}
          <input value={displayName} onChange={(e) => setDisplayName(e.target.value)} maxLength={NAME_MAX} required autoComplete="name" aria-describedby="display-name-hint" />
        </label>
        <span id="display-name-hint" className="muted small">{t('create.displayNameHint')}</span>
        <NewPasswordFields pw={pw} />
        <details className="secondary" open={showToken} onToggle={(e) => setShowToken(e.currentTarget.open)}>
          <summary>{t('create.tokenToggle')}</summary>
          <label>
            {t('create.token')}
            <input className="mono" value={token} onChange={(e) => setToken(e.target.value)} spellCheck={false} autoCapitalize="off" autoComplete="off" aria-describedby="token-hint" />
          </label>
          <span id="token-hint" className="muted small">{t('create.tokenHint')}</span>
        </details>
        <FormError nothingPending code={error} text={problem} />
        {busy && <p className="muted" role="status">{t('create.busy')}</p>}
        <div className="actions">
          <button type="button" onClick={() => go('welcome')} disabled={busy}>{t('common.back')}</button>
          <button type="submit" className="primary" disabled={busy}>{t('create.submit')}</button>
        </div>
      </form>
    </main>
  );
}

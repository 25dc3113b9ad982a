/** The start screen: create a team, join my team with an invitation, join a share as a guest, sign in on a new device. */
import { useTranslation } from 'react-i18next';
import { LanguagePicker } from '../../app/language-picker.js';
import { useSession } from '../../state/session-store.js';

export function Welcome({ hasAccount }: { hasAccount: boolean }) {
  const { t } = useTranslation();
  const go = useSession((s) => s.go);
  const choices = [
    { screen: 'create', title: t('welcome.create'), hint: t('welcome.createHint') },
    { screen: 'join-team', title: t('welcome.joinTeam'), hint: t('welcome.joinTeamHint') },
    { screen: 'join', title: t('welcome.join'), hint: t('welcome.joinHint') },
    { screen: 'signin', title: t('welcome.signIn'), hint: t('welcome.signInHint') },
  ] as const;
  return (
    <main className="card-screen" aria-labelledby="welcome-title">
      <section className="card">
        <h1 id="welcome-title">{t('welcome.title')}</h1>
        <p className="muted">{t('app.tagline')}</p>
        {hasAccount && (
          <button type="button" className="primary wide" onClick={() => go('unlock')}>
            {t('welcome.unlock')}
          </button>
        )}
        <ul className="choices">
          {choices.map((c) => (
            <li key={c.screen}>
              <button type="button" className="choice" onClick={() => go(c.screen)} aria-describedby={`hint-${c.screen}`}>
                <strong>{c.title}</strong>
                <span id={`hint-${c.screen}`} className="muted">{c.hint}</span>
              </button>
            </li>
          ))}
        </ul>
        <LanguagePicker />
      </section>
    </main>
  );
}

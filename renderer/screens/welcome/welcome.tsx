/**
 * The start screen: create a team, join my team with an invitation, join a share as a guest, sign
 * in on a new device. Above them the firm's relay: the one in use, or — when none is configured —
 * the field to enter and check it (relay-field.tsx).
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguagePicker } from '../../app/language-picker.js';
import { useServices } from '../../app/services.js';
import { relayHost } from '../../app/relay-gate.js';
import { useSession } from '../../state/session-store.js';
import { RelayField, useRelayChoice } from '../first-run/relay-field.js';

export function Welcome({ hasAccount }: { hasAccount: boolean }) {
  const { t } = useTranslation();
  const go = useSession((s) => s.go);
  const { relayUrl } = useServices();
  const relay = useRelayChoice();
  // Open at first when no relay is configured yet; afterwards it opens and closes as the person likes.
  const [unconfigured] = useState(() => relay.input === '');
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
        <details className="secondary" open={unconfigured} data-testid="welcome-relay">
          <summary>{unconfigured ? t('relay.field') : `${t('relay.inUse', { host: relayHost(relayUrl()) })} · ${t('relay.change')}`}</summary>
          <RelayField relay={relay} id="welcome-relay" />
        </details>
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

/** The main navigation of an open vault, the sync status and the lock button. */
import { useTranslation } from 'react-i18next';
import { useSession, type Screen } from '../state/session-store.js';
import { StatusBar } from './status-bar.js';

export function TopBar() {
  const { t } = useTranslation();
  const screen = useSession((s) => s.screen);
  const isGuest = useSession((s) => s.isGuest);
  const go = useSession((s) => s.go);
  const links: Array<[Screen, string]> = isGuest
    ? [['vault', t('nav.vault')], ['settings', t('nav.settings')]]
    : [['vault', t('nav.vault')], ['team', t('nav.team')], ['devices', t('nav.devices')], ['account', t('nav.account')], ['settings', t('nav.settings')]];
  const active = screen === 'share' || screen === 'activity' ? 'vault' : screen;
  return (
    <header className="top-bar">
      <span className="brand" aria-hidden="true">{t('app.name')}</span>
      <nav aria-label={t('nav.label')}>
        {links.map(([s, label]) => (
          <button key={s} type="button" className={active === s ? 'nav current' : 'nav'} aria-current={active === s ? 'page' : undefined} onClick={() => go(s)}>
            {label}
          </button>
        ))}
      </nav>
      <StatusBar />
      <button type="button" className="lock" onClick={() => void useSession.getState().lock('user')}>{t('nav.lock')}</button>
    </header>
  );
}

/**
 * The fixed toolbar of an open vault: main navigation, sync status and Lock. It sits above every
 * dialog backdrop (styles.css), so Lock is reachable from anywhere, a preview included; Ctrl+L
 * (Cmd+L on macOS) locks from anywhere too (useLockShortcut; the Electron menu has the same accelerator).
 */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { FolderLock, KeyRound, Laptop, Lock, Settings, UserRound, Users, type LucideIcon } from 'lucide-react';
import { useSession, type Screen } from '../state/session-store.js';
import { StatusBar } from './status-bar.js';

const ICONS: Partial<Record<Screen, LucideIcon>> = { vault: FolderLock, team: Users, devices: Laptop, account: UserRound, settings: Settings };

/** Ctrl+L / Cmd+L locks the open vault, whatever has the focus. */
export function useLockShortcut(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'l') {
        e.preventDefault();
        void useSession.getState().lock('user');
      }
    };
    document.addEventListener('keydown', onKey, true);
    return () => document.removeEventListener('keydown', onKey, true);
  }, []);
}

export function TopBar() {
  const { t } = useTranslation();
  const screen = useSession((s) => s.screen);
  const isGuest = useSession((s) => s.isGuest);
  const go = useSession((s) => s.go);
  useLockShortcut();
  const links: Array<[Screen, string]> = isGuest
    ? [['vault', t('nav.vault')], ['settings', t('nav.settings')]]
    : [['vault', t('nav.vault')], ['team', t('nav.team')], ['devices', t('nav.devices')], ['account', t('nav.account')], ['settings', t('nav.settings')]];
  const active = screen === 'share' || screen === 'activity' ? 'vault' : screen;
  return (
    <header className="top-bar">
      <span className="brand" aria-hidden="true"><KeyRound className="icon" size={18} aria-hidden="true" />{t('app.name')}</span>
      <nav aria-label={t('nav.label')}>
        {links.map(([s, label]) => {
          const Icon = ICONS[s];
          return (
            <button key={s} type="button" className={active === s ? 'nav current' : 'nav'} aria-current={active === s ? 'page' : undefined} onClick={() => go(s)}>
              {Icon && <Icon className="icon" size={16} aria-hidden="true" />}
              {label}
            </button>
          );
        })}
      </nav>
      <StatusBar />
      <button type="button" className="lock" title={t('design.lockShortcut')} onClick={() => void useSession.getState().lock('user')}>
        <Lock className="icon" size={16} aria-hidden="true" />
        {t('nav.lock')}
      </button>
    </header>
  );
}

/**
 * The shell: picks the screen from the session slice, runs the auto-lock, shows sync state and
 * errors. Two states take over an open vault: a verified wipe order (export, then delete) and a
 * join still waiting for a team admin's confirmation.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../state/session-store.js';
import { useSettings } from '../state/settings-store.js';
import { useTeam, watchTeam } from '../state/team-store.js';
import { useAutoLock } from '../lock/use-auto-lock.js';
import { AccountView } from '../screens/account/account-view.js';
import { ActivityView } from '../screens/activity/activity-view.js';
import { DevicesView } from '../screens/devices/devices-view.js';
import { CreateTeam } from '../screens/first-run/create-team.js';
import { EmergencyKit } from '../screens/first-run/emergency-kit.js';
import { SignInDevice } from '../screens/first-run/sign-in-device.js';
import { Join } from '../screens/join/join.js';
import { JoinTeam } from '../screens/join-team/join-team.js';
import { SettingsView } from '../screens/settings/settings-view.js';
import { SharePanel } from '../screens/share-panel/share-panel.js';
import { TeamView } from '../screens/team/team-view.js';
import { WaitingForAdmin } from '../screens/team/waiting-for-admin.js';
import { Unlock } from '../screens/unlock/unlock.js';
import { VaultView } from '../screens/vault/vault-view.js';
import { Welcome } from '../screens/welcome/welcome.js';
import { Ended } from './ended.js';
import { ErrorBanner } from './error-banner.js';
import { joinScreenFor } from './join-link.js';
import { useServices } from './services.js';
import { TopBar } from './top-bar.js';
import { WipeNotice } from './wipe-notice.js';

function OpenVault() {
  const { platform } = useServices();
  const screen = useSession((s) => s.screen);
  const share = useSession((s) => s.currentShare);
  const vault = useSession((s) => s.vault);
  const wipe = useSession((s) => s.status.wipe);
  const waiting = useTeam((s) => s.pending);
  useEffect(() => (vault ? watchTeam(vault) : undefined), [vault]);
  const back = () => useSession.getState().go('vault');
  const admin = (node: ReactNode) => <main className="admin-screen">{node}</main>;
  if (wipe) return <WipeNotice wipe={wipe} />;
  return (
    <div className="app-open">
      <TopBar />
      <ErrorBanner />
      {waiting && (screen === 'vault' || screen === 'team' || screen === 'share' || screen === 'activity') ? <WaitingForAdmin />
        : screen === 'share' && share ? admin(<><BackLink onBack={back} /><SharePanel share={share} /></>)
        : screen === 'activity' && share ? admin(<><BackLink onBack={back} /><ActivityView share={share} /></>)
        : screen === 'team' ? admin(<TeamView />)
        : screen === 'devices' ? admin(<DevicesView />)
        : screen === 'account' ? admin(<AccountView platform={platform} />)
        : screen === 'settings' ? admin(<SettingsView />)
        : <VaultView />}
    </div>
  );
}

function BackLink({ onBack }: { onBack: () => void }) {
  const { t } = useTranslation();
  return <button type="button" className="link back" onClick={onBack}>← {t('common.back')}</button>;
}

export function App({ initialJoinLink }: { initialJoinLink: string }) {
  const { launcher, platform, idleSecondsOverride } = useServices();
  const screen = useSession((s) => s.screen);
  const vault = useSession((s) => s.vault);
  const kit = useSession((s) => s.kit);
  const idleMinutes = useSettings((s) => s.idleMinutes);
  const absoluteMinutes = useSettings((s) => s.absoluteMinutes);
  const [hasAccount, setHasAccount] = useState(false);
  const [joinLink, setJoinLink] = useState(initialJoinLink);
  useEffect(() => platform.onJoinLink((link) => {
    // A truhe://join link from the OS opens the join screen, a truhe://team link "join my team" (only when no vault is open).
    if (useSession.getState().vault) return;
    setJoinLink(link);
    useSession.getState().go(joinScreenFor(link));
  }), [platform]);
  useAutoLock(platform, idleMinutes, absoluteMinutes, idleSecondsOverride);

  useEffect(() => {
    void launcher.hasLocalAccount().then(setHasAccount, () => setHasAccount(false));
  }, [launcher, screen]);

  if (vault && kit) return <EmergencyKit />;
  if (vault) return <OpenVault />;
  switch (screen) {
    case 'create': return <CreateTeam />;
    case 'signin': return <SignInDevice />;
    case 'join': return <Join key={joinLink} initialLink={joinScreenFor(joinLink) === 'join' ? joinLink : ''} onTeamLink={(link) => { setJoinLink(link); useSession.getState().go('join-team'); }} />;
    case 'join-team': return <JoinTeam key={joinLink} initialLink={joinScreenFor(joinLink) === 'join-team' ? joinLink : ''} />;
    case 'unlock':
    case 'locked': return <Unlock />;
    case 'ended': return <Ended />;
    default: return <Welcome hasAccount={hasAccount} />;
  }
}

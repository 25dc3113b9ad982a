/** Renderer entry: settings → i18n → services (platform, launcher, relay) → the App. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app.js';
import { joinScreenFor } from './app/join-link.js';
import { createServices } from './app/create-services.js';
import { ServicesContext } from './app/services.js';
import { setupI18n } from './i18n/i18n.js';
import { useSession } from './state/session-store.js';
import { useSettings } from './state/settings-store.js';
import './styles.css';

async function start(): Promise<void> {
  const settings = useSettings.getState();
  await setupI18n(settings.language);
  const services = await createServices(() => useSettings.getState().relayUrl);
  const params = new URLSearchParams(location.search);
  const joinLink = params.get('join') ?? '';
  if (joinLink) useSession.getState().go(joinScreenFor(joinLink));
  else if (await services.launcher.hasLocalAccount().catch(() => false)) useSession.getState().go('unlock');
  const root = document.getElementById('root');
  if (!root) throw new Error('main: #root is missing from index.html');
  createRoot(root).render(
    <StrictMode>
      <ServicesContext.Provider value={services}>
        <App initialJoinLink={joinLink} />
      </ServicesContext.Provider>
    </StrictMode>,
  );
}

void start();

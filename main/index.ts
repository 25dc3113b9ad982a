/**
 * Truhe's Electron main process: a list of setupX() calls. Every decision lives in a pure
 * module next to these (window-options, csp, navigation-policy, deep-link, ipc-*, lock-policy)
 * so Node tests cover it without Electron.
 */
import { app } from 'electron';
import { createAppContext } from './app-context.js';
import { setupSingleInstance } from './setup-single-instance.js';
import { setupAppScheme, setupAppProtocol } from './setup-app-protocol.js';
import { setupDeepLinks } from './setup-deep-links.js';
import { setupContentsSecurity, setupSessionSecurity } from './setup-security.js';
import { setupIpc } from './setup-ipc.js';
import { setupMenu } from './setup-menu.js';
import { setupPowerEvents } from './setup-power-events.js';
import { setupWindow } from './setup-window.js';

const ctx = createAppContext();
if (setupSingleInstance(ctx)) {
  setupAppScheme();
  setupDeepLinks(ctx);
  setupContentsSecurity(ctx);
  void app.whenReady().then(() => {
    setupSessionSecurity(ctx);
    setupAppProtocol(ctx);
    setupIpc(ctx);
    setupMenu(ctx);
    setupPowerEvents(ctx);
    setupWindow(ctx);
  });
}

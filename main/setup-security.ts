import { app, session, shell } from 'electron';
import type { AppContext } from './app-context.js';
import { allowNavigation, allowPermission, decideWindowOpen } from './navigation-policy.js';
import { allowRequest } from './request-policy.js';

/**
 * For every web contents: no navigation, no new windows, no <webview>, no DevTools when
 * packaged. For the session: every permission denied; no request leaves except to the relay.
 */
export function setupContentsSecurity(ctx: AppContext): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (e, url) => {
      if (!allowNavigation(url)) e.preventDefault();
    });
    contents.on('will-redirect', (e, url) => {
      if (!allowNavigation(url)) e.preventDefault();
    });
    contents.on('will-attach-webview', (e) => e.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      const decision = decideWindowOpen(url);
      if (decision.openExternally) void shell.openExternal(decision.openExternally);
      return { action: 'deny' };
    });
    if (ctx.isPackaged) contents.on('devtools-opened', () => contents.closeDevTools());
  });
}

/** Call after app ready. */
export function setupSessionSecurity(ctx: AppContext): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, permission, callback) => callback(allowPermission(permission)));
  ses.setPermissionCheckHandler((_wc, permission) => allowPermission(permission));
  ses.setDevicePermissionHandler(() => false);
  ses.setSpellCheckerEnabled(false);
  ses.webRequest.onBeforeRequest({ urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*'] }, (details, callback) => {
    callback({ cancel: !allowRequest(details.url, ctx.relayUrl) });
  });
}

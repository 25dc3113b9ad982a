import { app } from 'electron';
import type { AppContext } from './app-context.js';
import { deliverJoinLink, focusWindow } from './app-context.js';
import { joinLinkFromArgv } from './deep-link.js';

/**
 * One running Truhe per user. Returns false in a second instance, which then quits; the first
 * gets `second-instance` with the second's command line, focuses itself and takes the link.
 */
export function setupSingleInstance(ctx: AppContext): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', (_event, argv) => {
    focusWindow(ctx);
    const link = joinLinkFromArgv(argv);
    if (link) deliverJoinLink(ctx, link.href);
  });
  return true;
}

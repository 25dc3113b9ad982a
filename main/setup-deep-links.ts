import { app } from 'electron';
import { resolve } from 'node:path';
import type { AppContext } from './app-context.js';
import { deliverJoinLink, focusWindow } from './app-context.js';
import { DEEP_LINK_SCHEME, DeepLinkError, joinLinkFromArgv, parseJoinLink } from './deep-link.js';

/**
 * Registers truhe:// with the OS and takes links from the first launch's command line
 * (Windows/Linux) and from macOS `open-url`. second-instance is handled in setupSingleInstance.
 */
export function setupDeepLinks(ctx: AppContext): void {
  if (process.defaultApp && process.argv[1]) {
    // Development (`electron .`): the OS must start electron with our entry script.
    app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME, process.execPath, [resolve(process.argv[1])]);
  } else {
    app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME);
  }
  const first = joinLinkFromArgv(process.argv);
  if (first) deliverJoinLink(ctx, first.href);
  app.on('open-url', (event, url) => {
    event.preventDefault();
    try {
      deliverJoinLink(ctx, parseJoinLink(url).href);
      focusWindow(ctx);
    } catch (e) {
      // The link may hold an access code: log the reason only.
      console.warn(`truhe: ignored a ${DEEP_LINK_SCHEME}: link (${e instanceof DeepLinkError ? e.message : 'invalid'})`);
    }
  });
}

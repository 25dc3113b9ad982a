/**
 * The relay setting as main runs it: a native dialog to confirm a switch, relay.json to persist
 * it, ctx.relayUrl (read by the CSP and the request filter on every response and request) to
 * apply it, and a reload so the page runs under the new policy. Decisions: relay-switch.ts.
 */
import { app, dialog } from 'electron';
import type { AppContext } from './app-context.js';
import type { RelaySetting } from './ipc-handlers.js';
import { chooseMenuLocale } from './menu-template.js';
import { APP_START_URL } from './navigation-policy.js';
import { gateJoinLinks, relaySwitchDialog } from './relay-switch.js';
import { saveRelayUrl } from './relay-setting-file.js';
import { probeRelay } from '../protocol/relay-probe.js';

export function createRelayControl(ctx: AppContext): RelaySetting {
  const set = async (url: string) => {
    await saveRelayUrl(ctx.paths.relayFile, url);
    ctx.relayUrl = url;
    await ctx.window?.loadURL(APP_START_URL);
  };
  const confirm: RelaySetting['confirm'] = async (relay) => {
    const options = relaySwitchDialog(relay, chooseMenuLocale(app.getPreferredSystemLanguages()));
    const r = ctx.window ? await dialog.showMessageBox(ctx.window, options) : await dialog.showMessageBox(options);
    return r.response === 1;
  };
  return {
    get: () => ctx.relayUrl,
    confirm,
    probe: (url) => probeRelay(url),
    set,
    takePendingLinks: () =>
      gateJoinLinks(ctx.pendingLinks.splice(0), {
        current: () => ctx.relayUrl,
        confirm,
        async switchTo(url, requeue) {
          ctx.pendingLinks.push(...requeue);
          await set(url);
        },
        // The link may hold an access code: log the host only.
        onDeclined: (host) => console.warn(`truhe: a join link for the relay at ${host} was declined`),
      }),
  };
}

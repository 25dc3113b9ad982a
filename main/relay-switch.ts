/**
 * Switching the relay in the desktop app: the decisions, free of Electron so they are unit-tested.
 * The relay decides the one origin the renderer may reach (CSP connect-src, request filter), so
 * a change of origin — typed in Settings, chosen at first run, or carried by a join link — needs
 * the person's confirmation in a native dialog that names the host (protocol/relay-url.ts says
 * when), is persisted, and reloads the window under the new policy.
 */
import { relaySwitchNeedsConfirmation, type AcceptedRelayUrl } from '../protocol/relay-url.js';
import { parseJoinLink } from './deep-link.js';
import { acceptRelayUrl } from './relay-origin.js';

export type RelaySwitchPlan =
  | { readonly kind: 'unchanged'; readonly relay: AcceptedRelayUrl }
  | { readonly kind: 'switch'; readonly relay: AcceptedRelayUrl; readonly confirm: boolean };

/** What to do when `requested` is asked for while `current` is in use. Throws RelayUrlError. */
export function planRelaySwitch(current: string | null, requested: string): RelaySwitchPlan {
  const relay = acceptRelayUrl(requested);
  if (current !== null && current === relay.url) return { kind: 'unchanged', relay };
  return { kind: 'switch', relay, confirm: relaySwitchNeedsConfirmation(current, relay) };
}

export type DialogLocale = 'en' | 'de';

const TEXT = {
  en: {
    buttons: ['Cancel', 'Use this relay'],
    message: (host: string) => `Connect Truhe to the relay at ${host}?`,
    detail: 'From now on this app syncs only with this server. Continue only if your firm gave you this address; an unknown relay cannot read your data, but it can withhold it.',
    loopback: ' (this computer)',
  },
  de: {
    buttons: ['Abbrechen', 'Diesen Server verwenden'],
    message: (host: string) => `Truhe mit dem Server ${host} verbinden?`,
    detail: 'Ab jetzt synchronisiert diese App nur noch mit diesem Server. Fahren Sie nur fort, wenn Ihre Kanzlei oder Firma Ihnen diese Adresse gegeben hat; ein fremder Server kann Ihre Daten nicht lesen, aber zurückhalten.',
    loopback: ' (dieser Computer)',
  },
} as const;

/** The native confirmation (Electron MessageBoxOptions); button 1 confirms, Escape cancels. */
export function relaySwitchDialog(relay: AcceptedRelayUrl, locale: DialogLocale) {
  const t = TEXT[locale];
  return {
    type: 'question' as const,
    title: 'Truhe',
    buttons: [...t.buttons],
    defaultId: 0,
    cancelId: 0,
    noLink: true,
    message: t.message(relay.host + (relay.loopback ? t.loopback : '')),
    detail: `${relay.url}\n\n${t.detail}`,
  };
}

export interface LinkGateDeps {
  current(): string;
  confirm(relay: AcceptedRelayUrl): Promise<boolean>;
  /** Persist, apply and reload; `requeue` are handed to the renderer after the reload. */
  switchTo(url: string, requeue: string[]): Promise<void>;
  onDeclined(host: string): void;
}

/**
 * Join links waiting for the renderer, gated by their relay: links to the relay in use pass;
 * the first link to another origin asks for confirmation and, if given, switches (the link and
 * those after it are queued again for the reloaded window, so nothing is handed to a page whose
 * CSP would block its relay); a declined link is dropped.
 */
export async function gateJoinLinks(links: readonly string[], deps: LinkGateDeps): Promise<string[]> {
  const pass: string[] = [];
  for (let i = 0; i < links.length; i++) {
    const href = links[i]!;
    const plan = planRelaySwitch(deps.current(), parseJoinLink(href).relay);
    if (plan.kind === 'unchanged') {
      pass.push(href);
    } else if (!plan.confirm || (await deps.confirm(plan.relay))) {
      await deps.switchTo(plan.relay.url, [...pass, ...links.slice(i)]);
      return [];
    } else {
      deps.onDeclined(plan.relay.host);
    }
  }
  return pass;
}

/**
 * First-run relay choice (issue 16), free of the DOM so it is unit-tested: which relay a pasted
 * `truhe://team?relay=…` / `truhe://join?relay=…` link points to, whether using it means leaving
 * the relay in use (then the person is asked first, by the Platform's relay switch), and what the
 * relay field starts with. What is accepted is protocol/relay-url.ts's one policy.
 */
import { checkRelayUrlPolicy, type AcceptedRelayUrl, type RelayUrlRefusal } from '../../protocol/relay-url.js';
import { DEFAULT_RELAY } from './relay-choice.js';

/** The `relay` parameter of a truhe:// link, or null when the link names none (or is no URL). */
export function linkRelay(link: string): string | null {
  try {
    const u = new URL(link.trim());
    return u.protocol === 'truhe:' ? u.searchParams.get('relay') : null;
  } catch {
    return null;
  }
}

export type RelayGate =
  /** The relay in use (or the same URL): go ahead. */
  | { kind: 'same' }
  /** Another relay: show it and ask before switching (Platform.relay.choose). */
  | { kind: 'switch'; relay: AcceptedRelayUrl }
  /** Not a relay this app may use: say why, contact nothing. */
  | { kind: 'refused'; code: RelayUrlRefusal };

export function relayGate(current: string, target: string): RelayGate {
  const v = checkRelayUrlPolicy(target);
  if (!v.ok) return { kind: 'refused', code: v.code };
  const c = checkRelayUrlPolicy(current);
  return c.ok && c.relay.url === v.relay.url ? { kind: 'same' } : { kind: 'switch', relay: v.relay };
}

/** `host[:port]` of a URL for the page, or the text itself when it is not a usable URL. */
export function relayHost(url: string): string {
  const v = checkRelayUrlPolicy(url);
  return v.ok ? v.relay.host : url;
}

/**
 * What the relay field shows first: the configured relay (`?relay=`, Electron's setting, the
 * saved choice); empty when only the built-in loopback default is there, which a firm's
 * installation never means — the person types the address their firm gave them.
 */
export function initialRelayInput(search: string, inUse: string): string {
  if (new URLSearchParams(search).get('relay')) return inUse;
  return inUse === DEFAULT_RELAY ? '' : inUse;
}

/**
 * Which relay URLs Truhe accepts (R11): the one policy the core, Electron's main process, the
 * web client and the relay CLI all use. Pure: no throwing, no I/O; each layer turns a refusal
 * into its own typed error (VaultError in core, RelayUrlError in main, a usage error in the CLI).
 *
 * - `wss://` to any host.
 * - `ws://` only to a host whose traffic cannot leave the machine: the IPv4 loopback block
 *   127.0.0.0/8, the IPv6 loopback ::1, and the name `localhost`. Deliberately NOT accepted:
 *   subdomains of localhost (`relay.localhost`: Chromium maps them to loopback, but Node's and the
 *   OS resolver may ask DNS), `localhost.` with a trailing dot, and IPv4-mapped IPv6
 *   (`[::ffff:127.0.0.1]`), which a proxy or firewall may treat differently.
 * - Host spelling is the WHATWG URL parser's: `127.1` and `0x7f.0.0.1` become `127.0.0.1`, and
 *   `127.999.1.1` is not an address at all (BAD_FORMAT), so there is nothing to spoof by spelling.
 * - No credentials, query or fragment; 1..2048 characters.
 * - Codes: INSECURE_RELAY_URL for a URL that would not reach a relay over wss:// (plain ws://
 *   off this machine, or another scheme such as https://, the most common slip; the UI words it
 *   "use wss://"); BAD_FORMAT for what is not a usable URL at all (garbage, credentials, query).
 */

export type RelayUrlRefusal = 'BAD_FORMAT' | 'INSECURE_RELAY_URL';

export interface AcceptedRelayUrl {
  /** The URL as used to connect: parser-normalised, without a lone trailing slash. */
  readonly url: string;
  /** `ws[s]://host[:port]`: what CSP connect-src and the request filter allow. */
  readonly origin: string;
  /** `host[:port]` as a person should read it in a confirmation dialog. */
  readonly host: string;
  /** True for ws:// or wss:// to a loopback host (the local relay of `npm start`). */
  readonly loopback: boolean;
}

export type RelayUrlVerdict =
  | { readonly ok: true; readonly relay: AcceptedRelayUrl }
  | { readonly ok: false; readonly code: RelayUrlRefusal; readonly reason: string };

export const MAX_RELAY_URL_LENGTH = 2048;

/** Hostname as the URL parser gives it (IPv6 in brackets, lower case). */
export function isLoopbackHost(hostname: string): boolean {
  if (hostname === 'localhost' || hostname === '[::1]' || hostname === '::1') return true;
  const m = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(hostname);
  return m !== null && m.slice(1).every((p) => Number(p) <= 255);
}

function refuse(code: RelayUrlRefusal, reason: string): RelayUrlVerdict {
  return { ok: false, code, reason };
}

/** Decides whether `input` may be used as the relay; never throws. */
export function checkRelayUrlPolicy(input: string): RelayUrlVerdict {
  if (typeof input !== 'string' || input.trim().length === 0 || input.length > MAX_RELAY_URL_LENGTH) {
    return refuse('BAD_FORMAT', `relay URL must be 1..${MAX_RELAY_URL_LENGTH} characters`);
  }
  let u: URL;
  try {
    u = new URL(input.trim());
  } catch {
    return refuse('BAD_FORMAT', 'not a URL');
  }
  if (u.username || u.password) return refuse('BAD_FORMAT', 'credentials in the relay URL are not allowed');
  if (u.search || u.hash || input.includes('#')) return refuse('BAD_FORMAT', 'a relay URL has no query or fragment');
  if (u.protocol !== 'ws:' && u.protocol !== 'wss:') {
    return refuse('INSECURE_RELAY_URL', `a relay URL starts with wss:// (or ws:// to loopback), not ${u.protocol}`);
  }
  const loopback = isLoopbackHost(u.hostname);
  if (u.protocol === 'ws:' && !loopback) {
    return refuse('INSECURE_RELAY_URL', `ws:// is allowed only to this computer (loopback), not ${u.hostname}; use wss://`);
  }
  const url = u.pathname === '/' ? `${u.protocol}//${u.host}` : u.toString();
  return { ok: true, relay: { url, origin: u.origin, host: u.host, loopback } };
}

/**
 * Whether moving from the relay in use to `next` needs the person's explicit confirmation
 * (showing `next`'s host): every change of origin does, including the first choice away from
 * the built-in local relay, and a join link's relay. Only the same origin (say, another path
 * behind the same proxy) does not. `current` null means no relay chosen yet.
 */
export function relaySwitchNeedsConfirmation(current: string | null, next: AcceptedRelayUrl): boolean {
  if (current === null) return true;
  const c = checkRelayUrlPolicy(current);
  return !c.ok || c.relay.origin !== next.origin;
}

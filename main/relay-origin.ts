/**
 * The relay the user configured decides the one network origin the renderer may connect to
 * (CSP connect-src, request filter). The rule itself is protocol/relay-url.ts (R11: wss://
 * anywhere, ws:// only to loopback), shared with the core and the relay CLI.
 */
import { checkRelayUrlPolicy, type AcceptedRelayUrl } from '../protocol/relay-url.js';

export const DEFAULT_RELAY_URL = 'ws://127.0.0.1:8787';

export class RelayUrlError extends Error {
  override readonly name = 'RelayUrlError';
  constructor(
    readonly code: 'INSECURE_RELAY_URL' | 'BAD_FORMAT',
    message: string,
  ) {
    super(message);
  }
}

/** The accepted relay; throws RelayUrlError (BAD_FORMAT, INSECURE_RELAY_URL). */
export function acceptRelayUrl(url: string): AcceptedRelayUrl {
  const v = checkRelayUrlPolicy(url);
  if (!v.ok) throw new RelayUrlError(v.code, `relayOrigin: ${v.reason}`);
  return v.relay;
}

/**
 * Returns the origin (`wss://host[:port]`) of a relay URL.
 * Throws RelayUrlError: BAD_FORMAT (not a URL, credentials, query, too long),
 * INSECURE_RELAY_URL (ws:// to a non-loopback host, any scheme but ws/wss).
 */
export function relayOrigin(url: string): string {
  return acceptRelayUrl(url).origin;
}

/**
 * The relay the user configured decides the one network origin the renderer may connect to
 * (CSP connect-src). R11: wss:// anywhere, ws:// only to loopback.
 */

export const DEFAULT_RELAY_URL = 'ws://127.0.0.1:8787';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export class RelayUrlError extends Error {
  override readonly name = 'RelayUrlError';
  constructor(
    readonly code: 'INSECURE_RELAY_URL' | 'BAD_FORMAT',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Returns the origin (`wss://host[:port]`) of a relay URL.
 * Throws RelayUrlError: BAD_FORMAT (not a URL, credentials, other scheme, too long),
 * INSECURE_RELAY_URL (ws:// to a non-loopback host).
 */
export function relayOrigin(url: string): string {
  if (typeof url !== 'string' || url.length === 0 || url.length > 2048) {
    throw new RelayUrlError('BAD_FORMAT', 'relayOrigin: relay URL must be 1..2048 characters');
  }
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new RelayUrlError('BAD_FORMAT', 'relayOrigin: not a URL');
  }
  if (u.username || u.password) throw new RelayUrlError('BAD_FORMAT', 'relayOrigin: credentials in URL');
  if (u.protocol === 'wss:') return u.origin;
  if (u.protocol === 'ws:') {
    if (!LOOPBACK_HOSTS.has(u.hostname)) {
      throw new RelayUrlError('INSECURE_RELAY_URL', 'relayOrigin: ws:// is allowed only to loopback; use wss://');
    }
    return u.origin;
  }
  throw new RelayUrlError('BAD_FORMAT', `relayOrigin: scheme must be wss: (or ws: to loopback)`);
}

/**
 * Relay URL policy (R11): `wss://` anywhere; plain `ws://` only to a loopback host
 * (127.0.0.0/8, ::1, localhost), where the traffic never leaves the machine.
 */
import { VaultError } from '../errors.js';

function isLoopback(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const m = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  return m !== null && m.slice(1).every((p) => Number(p) <= 255);
}

/**
 * Validate and normalise a relay URL. Returns the URL without a trailing slash.
 * Throws VaultError('INSECURE_RELAY_URL') for `ws://` to a non-loopback host or any other
 * scheme than ws/wss, VaultError('BAD_FORMAT') for something that is not a URL at all.
 */
export function checkRelayUrl(input: string): string {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch (e) {
    throw new VaultError('BAD_FORMAT', `checkRelayUrl: not a URL: ${JSON.stringify(input.slice(0, 200))}`, { cause: e });
  }
  if (url.username || url.password) throw new VaultError('BAD_FORMAT', 'checkRelayUrl: credentials in the relay URL are not allowed');
  if (url.protocol === 'wss:') return url.toString().replace(/\/$/, '');
  if (url.protocol === 'ws:') {
    if (isLoopback(url.hostname)) return url.toString().replace(/\/$/, '');
    throw new VaultError('INSECURE_RELAY_URL', `checkRelayUrl: ws:// is allowed only to loopback, not ${url.hostname}; use wss://`);
  }
  throw new VaultError('INSECURE_RELAY_URL', `checkRelayUrl: unsupported scheme ${url.protocol} (use wss://)`);
}

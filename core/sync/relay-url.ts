/**
 * Relay URL policy (R11) for the core: protocol/relay-url.ts decides, this turns a refusal into
 * a VaultError. `wss://` anywhere; plain `ws://` only to loopback (127.0.0.0/8, ::1, localhost).
 */
import { VaultError } from '../errors.js';
import { checkRelayUrlPolicy } from '../../protocol/relay-url.js';

/**
 * Validate and normalise a relay URL. Returns the URL without a lone trailing slash.
 * Throws VaultError('INSECURE_RELAY_URL') for `ws://` to a non-loopback host or any other
 * scheme than ws/wss, VaultError('BAD_FORMAT') for something that is not a usable URL at all.
 */
export function checkRelayUrl(input: string): string {
  const v = checkRelayUrlPolicy(input);
  if (!v.ok) throw new VaultError(v.code, `checkRelayUrl: ${v.reason}`);
  return v.relay.url;
}

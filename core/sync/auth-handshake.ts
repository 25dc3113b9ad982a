/**
 * The auth handshake of one socket (protocol/README.md): on open the client says `hello` with
 * its protocol version; the relay's `challenge` nonce is answered with the frame the session's
 * `authenticate` builds (`auth`, or `team.create`), which may first ask pre-auth questions
 * (`account.kdf` for a new device) over `pre`; the relay's `welcome` ends it. The connection
 * answers only the first challenge of a socket and bounds the whole handshake by its request
 * timeout.
 */
import { fromB64url } from '../encoding.js';
import { VaultError, isVaultError } from '../errors.js';
import { PROTOCOL_VERSION } from '../../protocol/index.js';
import type { Authenticate, PreAuthChannel } from './connection-options.js';

/** The first frame on every socket. */
export function helloFrame(): string {
  return JSON.stringify({ type: 'hello', protocol: PROTOCOL_VERSION });
}

export type ChallengeOutcome =
  /** The auth frame went out (or the socket was no longer there to take it). */
  | { readonly kind: 'sent' }
  /** A pre-auth request failed because the socket went away: an ordinary reconnect. */
  | { readonly kind: 'unreachable'; readonly error: VaultError }
  /** Authentication failed locally (wrong password, unknown account): final. */
  | { readonly kind: 'failed'; readonly error: VaultError };

/** Answers the relay's challenge: builds the auth frame and hands it to `deliver`. */
export async function answerChallenge(
  nonceB64: string,
  authenticate: Authenticate,
  pre: PreAuthChannel,
  deliver: (frame: Record<string, unknown>) => void,
): Promise<ChallengeOutcome> {
  try {
    deliver(await authenticate(fromB64url(nonceB64), pre));
    return { kind: 'sent' };
  } catch (e) {
    if (isVaultError(e, 'RELAY_UNREACHABLE')) return { kind: 'unreachable', error: e };
    return { kind: 'failed', error: isVaultError(e) ? e : new VaultError('INTERNAL', 'Connection.authenticate: failed', { cause: e }) };
  }
}

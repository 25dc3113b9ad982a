/**
 * What turns a Session into a guest session (an access-code holder without an account):
 * how it authenticates (code verifier key), how it opens share keys (code wraps), and what it
 * may do (read-only or read-write on its one share). Built by joinWithCode (guest.ts).
 */
import type { CodeId, ShareId } from '../ids.js';
import type { ShareKeySource } from '../vault/keyring.js';

export interface GuestAccess {
  code: CodeId;
  share: ShareId;
  readOnly: boolean;
  keySource: ShareKeySource;
  /** The `auth` frame for a relay challenge nonce (method 'code'). */
  authenticate(nonce: Uint8Array): Record<string, unknown>;
}

/**
 * The encrypted account bundle (types only, so core/store can hold it without importing the
 * account logic). Nothing here is plaintext: `blob` and `deviceBlob` are AEAD ciphertexts under
 * the unlock key; the rest are public keys, ids, KDF parameters and a Secret Key verifier.
 */
import type { KdfParams } from '../crypto/kdf.js';
import type { AccountId, DeviceId, TeamId } from '../ids.js';
import type { B64Ciphertext } from './record.js';

/** What the relay stores for new devices (`account.get`). */
export interface RelayAccountBundle {
  v: 1;
  team: TeamId;
  account: AccountId;
  kdf: KdfParams;
  /** AEAD(unlock key, boxSk(32) ‖ signSk(64)), AD binds team, account and kdf params. */
  blob: B64Ciphertext;
  /**
   * Secret Key verifier: BLAKE2b-128(key = Secret Key, 'truhe/sk-check/v1' ‖ kdf.salt).
   * Depends on the Secret Key alone (128 random bits), so it gives no way to test password
   * guesses; it lets a client say WRONG_SECRET_KEY rather than WRONG_PASSWORD.
   */
  skCheck: string;
  /** Public keys, base64url (X25519 box, Ed25519 sign, Ed25519 auth). */
  boxPk: string;
  signPk: string;
  authPk: string;
}

/** The bundle kept in the local store of one device (opening offline needs only this). */
export interface LocalAccountBundle extends RelayAccountBundle {
  device?: DeviceId;
  /** AEAD(unlock key, device Ed25519 seed(32)), AD binds team, account, device. */
  deviceBlob?: B64Ciphertext;
  devicePk?: string;
  /**
   * The Secret Key remembered on this device (base64url of 16 bytes), as 1Password keeps it
   * on enrolled devices; the vault layer may store a safeStorage-wrapped form instead, or omit
   * it and ask for the emergency kit.
   */
  rememberedSecretKey?: string;
  relayUrl?: string;
  /**
   * A roster head this device trusts before it has verified the roster itself (an invitation
   * card's, or the account's checkpoint on a new device): the roster may not be shorter or differ.
   */
  rosterPin?: { length: number; hash: string };
}

/**
 * Pure share-key crypto: one random 32-byte key per share per epoch, wrapped for each member
 * (X25519 sealed box) and for each live access code (AEAD under the code's wrap key), and a
 * public commitment (keyed BLAKE2b) recorded in the membership log so a relay that re-wraps a
 * different key is caught (WRONG_KEY).
 */
import { VaultError } from '../errors.js';
import { canonicalBytes } from '../canonical.js';
import { concatBytes, utf8 } from '../encoding.js';
import type { CodeId, ShareId, TeamId } from '../ids.js';
import { aeadOpen, aeadSeal } from '../crypto/aead.js';
import { boxOpen, boxSeal } from '../crypto/box.js';
import { constantTimeEqual } from '../crypto/compare.js';
import { blake2b } from '../crypto/hash.js';
import { randomKey } from '../crypto/keys.js';
import type { BoxKeyPair, BoxPublicKey, CodeWrapKey, ShareKey } from '../crypto/key-types.js';

export const KEY_COMMIT_BYTES = 32;

/** A fresh random share key for a new epoch. */
export function newShareKey(): ShareKey {
  return randomKey<ShareKey>();
}

function checkEpoch(fn: string, epoch: number): void {
  if (!Number.isSafeInteger(epoch) || epoch < 0) throw new VaultError('BAD_FORMAT', `${fn}: bad epoch ${epoch}`);
}

/**
 * Commitment to a share key: BLAKE2b-256(key = share key, 'truhe/key-commit/v1' ‖
 * canonicalJson({team, share, epoch})). Public; reveals nothing about the key.
 */
export function keyCommit(shareKey: ShareKey, team: TeamId, share: ShareId, epoch: number): Uint8Array {
  checkEpoch('keyCommit', epoch);
  return blake2b(concatBytes(utf8('truhe/key-commit/v1'), canonicalBytes({ team, share, epoch })), KEY_COMMIT_BYTES, shareKey);
}

/** Throws VaultError('WRONG_KEY') unless `shareKey` matches `commit` for (team, share, epoch). */
export function checkKeyCommit(shareKey: ShareKey, team: TeamId, share: ShareId, epoch: number, commit: Uint8Array): void {
  if (!constantTimeEqual(keyCommit(shareKey, team, share, epoch), commit)) {
    throw new VaultError('WRONG_KEY', `checkKeyCommit: share key does not match the commitment for epoch ${epoch}`);
  }
}

/** Wrap for a member: crypto_box_seal(shareKey, member X25519 pk) → 80 bytes. */
export function wrapShareKeyForMember(shareKey: ShareKey, memberBoxPk: BoxPublicKey): Uint8Array {
  return boxSeal(memberBoxPk, shareKey);
}

/**
 * Unwrap a member wrap and, when `commit` is given, check it. Throws WRONG_KEY (not ours,
 * altered, or a key that fails the commitment).
 */
export function unwrapShareKeyForMember(
  wrapped: Uint8Array, me: BoxKeyPair,
  check?: { team: TeamId; share: ShareId; epoch: number; commit: Uint8Array },
): ShareKey {
  const key = boxOpen(me, wrapped) as ShareKey;
  if (key.length !== 32) throw new VaultError('WRONG_KEY', 'unwrapShareKeyForMember: wrong key length');
  if (check) checkKeyCommit(key, check.team, check.share, check.epoch, check.commit);
  return key;
}

function codeWrapAd(team: TeamId, share: ShareId, epoch: number, code: CodeId): Uint8Array {
  return concatBytes(utf8('truhe/code-wrap/v1'), canonicalBytes({ team, share, epoch, code }));
}

/** Wrap for an access code: AEAD(code wrap key, shareKey, AD = (team, share, epoch, code)). */
export function wrapShareKeyForCode(shareKey: ShareKey, wrapKey: CodeWrapKey, team: TeamId, share: ShareId, epoch: number, code: CodeId): Uint8Array {
  checkEpoch('wrapShareKeyForCode', epoch);
  return aeadSeal(wrapKey, shareKey, codeWrapAd(team, share, epoch, code));
}

/**
 * Unwrap a code wrap. Throws VaultError('WRONG_KEY') if the code's key or the binding does not
 * match (wrong code, rotated code, wrap moved to another share/epoch), or the commitment fails.
 */
export function unwrapShareKeyForCode(
  wrapped: Uint8Array, wrapKey: CodeWrapKey, team: TeamId, share: ShareId, epoch: number, code: CodeId, commit?: Uint8Array,
): ShareKey {
  let key: ShareKey;
  try {
    key = aeadOpen(wrapKey, wrapped, codeWrapAd(team, share, epoch, code)) as ShareKey;
  } catch (e) {
    throw new VaultError('WRONG_KEY', 'unwrapShareKeyForCode: code key does not open this wrap', { cause: e });
  }
  if (commit) checkKeyCommit(key, team, share, epoch, commit);
  return key;
}

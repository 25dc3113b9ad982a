/**
 * Team key crypto (DESIGN.md §8): one random key per roster epoch, wrapped (sealed box) for
 * every active member and committed in the roster (genesis / remove entries), so a relay that
 * re-wraps another key is caught. It seals what only members may read: display names, the
 * team's name, invitation secrets.
 */
import { canonicalBytes } from '../canonical.js';
import { concatBytes, fromB64url, fromUtf8, toB64url, utf8 } from '../encoding.js';
import { VaultError } from '../errors.js';
import { aeadOpen, aeadSeal } from '../crypto/aead.js';
import { boxOpen, boxSeal } from '../crypto/box.js';
import { constantTimeEqual } from '../crypto/compare.js';
import { blake2b } from '../crypto/hash.js';
import { randomKey } from '../crypto/keys.js';
import type { BoxKeyPair, BoxPublicKey, TeamKey } from '../crypto/key-types.js';

export function newTeamKey(): TeamKey {
  return randomKey<TeamKey>();
}

/** BLAKE2b-256(key = team key, 'truhe/team-key-commit/v1' ‖ canonicalJson({team, epoch})), base64url. */
export function teamKeyCommit(key: TeamKey, team: string, epoch: number): string {
  return toB64url(blake2b(concatBytes(utf8('truhe/team-key-commit/v1'), canonicalBytes({ team, epoch })), 32, key));
}

export function wrapTeamKey(key: TeamKey, boxPk: BoxPublicKey): string {
  return toB64url(boxSeal(boxPk, key));
}

/** Opens a wrap addressed to `me` and checks it against the roster's commitment. Throws WRONG_KEY. */
export function unwrapTeamKey(wrapped: string, me: BoxKeyPair, team: string, epoch: number, commit: string): TeamKey {
  const key = boxOpen(me, fromB64url(wrapped)) as TeamKey;
  if (key.length !== 32 || !constantTimeEqual(utf8(teamKeyCommit(key, team, epoch)), utf8(commit))) {
    throw new VaultError('WRONG_KEY', `unwrapTeamKey: the team key of epoch ${epoch} does not match the roster's commitment`);
  }
  return key;
}

const ad = (what: string, team: string, subject: string, epoch: number) => concatBytes(utf8(`truhe/team-${what}/v1`), canonicalBytes({ team, subject, epoch }));

/** Seals a short text (a name) under the team key, bound to (what, team, subject, epoch). */
export function sealTeamText(key: TeamKey, what: 'name' | 'team-name' | 'invite-label', team: string, subject: string, epoch: number, text: string): string {
  return toB64url(aeadSeal(key, utf8(text.normalize('NFC').slice(0, 200)), ad(what, team, subject, epoch)));
}
/** Throws TAMPERED if the sealed text was altered or moved to another subject. */
export function openTeamText(key: TeamKey, what: 'name' | 'team-name' | 'invite-label', team: string, subject: string, epoch: number, sealed: string): string {
  return fromUtf8(aeadOpen(key, fromB64url(sealed), ad(what, team, subject, epoch)));
}

/** An invitation secret sealed for every member (so any admin can confirm the join later). */
export function sealInviteSecret(key: TeamKey, team: string, invite: string, epoch: number, secret: Uint8Array): string {
  return toB64url(aeadSeal(key, secret, ad('invite-secret', team, invite, epoch)));
}
export function openInviteSecret(key: TeamKey, team: string, invite: string, epoch: number, sealed: string): Uint8Array {
  return aeadOpen(key, fromB64url(sealed), ad('invite-secret', team, invite, epoch));
}

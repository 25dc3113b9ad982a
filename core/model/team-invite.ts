/**
 * Team invitations (DESIGN.md §8): an id the relay can look up and a 128-bit secret that travels
 * only by link, QR code or paper. From the secret (keyed BLAKE2b subkeys; 128 random bits need
 * no slow hash):
 *   verifier = Ed25519 seed keypair(subkey 'verifier')  → its public half in the roster; team.join is signed with it
 *   mac key  = subkey 'mac'   → the invitee's MAC over its keys, device and sealed name
 *   card key = subkey 'card'  → seals the invitation card (team name, inviter, roster head)
 *   name key = subkey 'name'  → seals the invitee's display name for the confirming admin
 * The relay never sees the secret, so it can neither forge the MAC (its keys instead of the
 * invitee's) nor read the card.
 * Link: `truhe://team?relay=<url>&team=<TeamId>&invite=<InviteId>.<secret base32>`.
 * Typed: `TRI-` + groups of 4 base32 chars of id(16) ‖ secret(16) ‖ checksum(2); the relay and
 * team come from the link, or are typed beside it.
 */
import { canonicalBytes } from '../canonical.js';
import { concatBytes, fromB64url, fromBase32, fromUtf8, normalizeBase32, toB64url, toBase32, utf8 } from '../encoding.js';
import { VaultError } from '../errors.js';
import { idBytes, isId, newId, parseTeamId, type InviteId, type TeamId } from '../ids.js';
export type { InviteId } from '../ids.js';
import { aeadOpen, aeadSeal } from '../crypto/aead.js';
import { constantTimeEqual } from '../crypto/compare.js';
import { blake2b } from '../crypto/hash.js';
import { deriveSubkey } from '../crypto/kdf.js';
import { signKeyPairFromSeed } from '../crypto/keys.js';
import { randomBytes } from '../crypto/random.js';
import type { InviteKey, SignKeyPair } from '../crypto/key-types.js';

export const INVITE_SECRET_BYTES = 16;

export interface TeamInvite {
  id: InviteId;
  secret: Uint8Array;
}
export interface InviteLink {
  relay: string;
  team: TeamId;
  invite: TeamInvite;
}
export interface InviteKeys {
  verifier: SignKeyPair;
  mac: InviteKey;
  card: InviteKey;
  name: InviteKey;
}
/** What the invitee sees before it creates a password; sealed under the card key. */
export interface InviteCard {
  teamName: string;
  inviter: string;
  inviterName: string;
  role: 'admin' | 'member';
  /** The roster head the invitation was made on (entry `length` is the invite itself). */
  roster: { length: number; hash: string };
}

const invalid = (fn: string, why: string, cause?: unknown) => new VaultError('INVITE_INVALID', `${fn}: ${why}`, cause === undefined ? undefined : { cause });

export function newTeamInvite(): TeamInvite {
  return { id: newId<InviteId>(), secret: randomBytes(INVITE_SECRET_BYTES) };
}

export function deriveInviteKeys(team: string, invite: TeamInvite): InviteKeys {
  if (invite.secret.length !== INVITE_SECRET_BYTES) throw invalid('deriveInviteKeys', 'secret must be 16 bytes');
  const base = blake2b(concatBytes(utf8('truhe/team-invite/v1'), idBytes(team), idBytes(invite.id)), 32, invite.secret);
  return {
    verifier: signKeyPairFromSeed(deriveSubkey(base, 'invite-verifier')),
    mac: deriveSubkey<InviteKey>(base, 'invite-mac'),
    card: deriveSubkey<InviteKey>(base, 'invite-card'),
    name: deriveSubkey<InviteKey>(base, 'invite-name'),
  };
}

/** What the invitee binds: its account keys, its first device, its sealed name. */
export interface JoinBinding {
  team: string;
  invite: string;
  account: string;
  boxPk: string;
  signPk: string;
  device: string;
  deviceSignPk: string;
  nameEnc: string;
}
/** base64url keyed BLAKE2b-256 over canonicalJson(binding). */
export function joinMac(keys: InviteKeys, b: JoinBinding): string {
  return toB64url(blake2b(concatBytes(utf8('truhe/join-mac/v1'), canonicalBytes({ ...b })), 32, keys.mac));
}
/** Throws NOT_ALLOWED when the MAC does not match (the keys are not the invitee's). */
export function checkJoinMac(keys: InviteKeys, b: JoinBinding, mac: string): void {
  if (!constantTimeEqual(utf8(joinMac(keys, b)), utf8(mac))) {
    throw new VaultError('NOT_ALLOWED', `checkJoinMac: the join request of ${b.account} does not prove the invitation secret (keys swapped?)`);
  }
}

const cardAd = (team: string, invite: string) => concatBytes(utf8('truhe/invite-card/v1'), canonicalBytes({ team, invite }));
export function sealCard(keys: InviteKeys, team: string, invite: string, card: InviteCard): string {
  return toB64url(aeadSeal(keys.card, utf8(JSON.stringify(card)), cardAd(team, invite)));
}
export function openCard(keys: InviteKeys, team: string, invite: string, sealed: string): InviteCard {
  let c: Partial<InviteCard>;
  try {
    c = JSON.parse(fromUtf8(aeadOpen(keys.card, fromB64url(sealed), cardAd(team, invite)))) as Partial<InviteCard>;
  } catch (e) {
    throw invalid('openCard', 'the invitation card does not open with this secret', e);
  }
  if (typeof c.teamName !== 'string' || typeof c.inviterName !== 'string' || !isId(c.inviter) || (c.role !== 'admin' && c.role !== 'member') ||
    !c.roster || !Number.isSafeInteger(c.roster.length) || typeof c.roster.hash !== 'string') throw invalid('openCard', 'malformed card');
  return c as InviteCard;
}
const nameAd = (team: string, invite: string, account: string) => concatBytes(utf8('truhe/invite-name/v1'), canonicalBytes({ team, invite, account }));
export function sealJoinName(keys: InviteKeys, team: string, invite: string, account: string, name: string): string {
  return toB64url(aeadSeal(keys.name, utf8(name.normalize('NFC').slice(0, 200)), nameAd(team, invite, account)));
}
export function openJoinName(keys: InviteKeys, team: string, invite: string, account: string, sealed: string): string {
  return fromUtf8(aeadOpen(keys.name, fromB64url(sealed), nameAd(team, invite, account)));
}

function sum(payload: Uint8Array): Uint8Array {
  return blake2b(concatBytes(utf8('truhe/invite-sum/v1'), payload), 16).subarray(0, 2);
}
/** `TRI-XXXX-…`: the invitation without relay and team. */
export function formatInviteCode(inv: TeamInvite): string {
  const payload = concatBytes(idBytes(inv.id), inv.secret);
  return `TRI-${toBase32(concatBytes(payload, sum(payload))).match(/.{1,4}/g)!.join('-')}`;
}
export function parseInviteCode(text: string): TeamInvite {
  let bytes: Uint8Array;
  const total = 16 + INVITE_SECRET_BYTES + 2;
  try {
    bytes = fromBase32(text.trim().replace(/^tri[-\s]*/i, ''), total);
  } catch (e) {
    throw invalid('parseInviteCode', 'not an invitation code', e);
  }
  const payload = bytes.subarray(0, total - 2);
  const s = sum(payload);
  if (bytes[total - 2] !== s[0] || bytes[total - 1] !== s[1]) throw invalid('parseInviteCode', 'checksum mismatch (typo?)');
  return { id: toB64url(payload.subarray(0, 16)) as InviteId, secret: payload.slice(16) };
}

export function formatInviteLink(l: InviteLink): string {
  const q = new URLSearchParams({ relay: l.relay, team: l.team, invite: `${l.invite.id}.${toBase32(l.invite.secret)}` });
  return `truhe://team?${q.toString()}`;
}
/** Parses a `truhe://team?…` link. Throws INVITE_INVALID naming the bad part. */
export function parseInviteLink(text: string): InviteLink {
  let url: URL;
  try {
    url = new URL(String(text).trim());
  } catch (e) {
    throw invalid('parseInviteLink', 'not a link', e);
  }
  if (url.protocol !== 'truhe:' || (url.host !== 'team' && url.pathname.replace(/^\/+/, '') !== 'team')) throw invalid('parseInviteLink', 'not a truhe://team link');
  const relay = url.searchParams.get('relay');
  const team = url.searchParams.get('team');
  const m = /^([A-Za-z0-9_-]{22})\.([0-9A-Za-z]+)$/.exec(url.searchParams.get('invite') ?? '');
  if (!relay) throw invalid('parseInviteLink', 'missing relay');
  if (!team || !isId(team)) throw invalid('parseInviteLink', 'missing or malformed team');
  if (!m || !isId(m[1])) throw invalid('parseInviteLink', 'invite must be <id>.<secret>');
  let secret: Uint8Array;
  try {
    secret = fromBase32(m[2]!, INVITE_SECRET_BYTES);
  } catch (e) {
    throw invalid('parseInviteLink', 'malformed invitation secret', e);
  }
  if (toBase32(secret) !== normalizeBase32(m[2]!)) throw invalid('parseInviteLink', 'malformed invitation secret');
  return { relay, team: parseTeamId(team), invite: { id: m[1] as InviteId, secret } };
}

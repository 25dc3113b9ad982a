/**
 * joinWithCode (R1): a guest with an access code and no account.
 *   parse link/code → Argon2id → verifier keypair + wrap key → code auth → fetch and verify the
 *   whole membership log → fetch the wraps addressed to the code → open them against the
 *   verified key commitments → pull the items.
 *
 * Decision: guest state lives in memory only (MemoryVaultStore; nothing on disk, no local
 * account). Closing the app forgets it; the guest joins again with the code. When the relay
 * ends the code (rotated, revoked, expired) the guest session drops every key and all
 * ciphertext at once and stays locked; `onStatus` keeps `lastError` (CODE_ROTATED, …) for the UI.
 */
import { fromB64url } from '../encoding.js';
import { VaultError, isVaultError } from '../errors.js';
import { parseTeamId, type AccountId, type CodeId, type ShareId, type TeamId } from '../ids.js';
import { ready } from '../crypto/sodium.js';
import { kdfOf } from '../crypto/kdf-runner.js';
import { newBoxKeyPair, newSignKeyPair, randomKey } from '../crypto/keys.js';
import type { CodeWrapKey, SecretKeyBytes, UnlockKey } from '../crypto/key-types.js';
import { deriveCodeKeysWith, parseAccessCode, parseJoinLink, type AccessCode } from '../model/access-code.js';
import type { AccountKeys } from '../model/account.js';
import { unwrapShareKeyForCode } from '../model/share-keys.js';
import { MemoryVaultStore } from '../store/memory-store.js';
import { checkRelayUrl } from '../sync/relay-url.js';
import type { VaultApi } from '../vault-api.js';
import { vaultApi } from '../vault/api.js';
import type { LauncherDeps } from '../vault/deps.js';
import { authSig } from '../vault/identity.js';
import type { ShareKeySource } from '../vault/keyring.js';
import { Session } from '../vault/session.js';
import { codeCost } from './codes.js';
import type { GuestAccess } from './guest-access.js';

const JOIN_TIMEOUT_MS = 15_000;
const GUEST_ENDS = new Set(['CODE_ROTATED', 'CODE_REVOKED', 'CODE_EXPIRED', 'NOT_ALLOWED', 'NOT_FOUND']);

export type JoinOptions = { link: string } | { relayUrl: string; team: string; code: string };

function parseJoin(opts: JoinOptions): { relay: string; team: TeamId; code: AccessCode } {
  if (opts && 'link' in opts) return parseJoinLink(opts.link);
  if (!opts || typeof opts.relayUrl !== 'string' || typeof opts.team !== 'string') throw new VaultError('CODE_INVALID', 'joinWithCode: give a link, or relayUrl + team + code');
  const team = parseTeamId(opts.team);
  return { relay: opts.relayUrl, team, code: parseAccessCode(opts.code, team) };
}

/** Opens code wraps (AEAD under the code's wrap key) and checks them against the verified commitment. */
export function codeKeySource(team: TeamId, code: CodeId, wrapKey: CodeWrapKey): ShareKeySource {
  return {
    unwrap(share, epoch, rows, commit) {
      const row = rows.find((r) => r.epoch === epoch && r.to.kind === 'code' && r.to.id === code);
      return row ? unwrapShareKeyForCode(fromB64url(row.wrapped), wrapKey, team, share, epoch, code, commit) : undefined;
    },
  };
}

/** Account-shaped holder of the guest's secrets, so Session.lock() wipes them like an account's. */
function guestKeys(team: TeamId, code: CodeId, verifier: AccountKeys['sign'], wrapKey: CodeWrapKey): AccountKeys {
  return {
    team, account: code as unknown as AccountId, secretKey: wrapKey as unknown as SecretKeyBytes, unlockKey: randomKey<UnlockKey>(),
    box: newBoxKeyPair(), sign: verifier, auth: newSignKeyPair(),
  };
}

async function within<T>(p: Promise<T>, ms: number, fn: string): Promise<T> {
  let t: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, j) => { t = setTimeout(() => j(new VaultError('RELAY_UNREACHABLE', `${fn}: the relay did not answer`)), ms); })]);
  } finally {
    clearTimeout(t);
  }
}

export async function joinWithCode(deps: LauncherDeps, opts: JoinOptions): Promise<VaultApi> {
  await ready();
  const { relay, team, code } = parseJoin(opts);
  const url = checkRelayUrl(relay);
  const ck = await deriveCodeKeysWith(kdfOf(deps), team, code, codeCost({ deps }));
  const keys = guestKeys(team, code.id, ck.verifier, ck.wrapKey);
  let session: Session | undefined;
  const guest: GuestAccess = {
    code: code.id, share: '' as ShareId, readOnly: true,
    keySource: codeKeySource(team, code.id, ck.wrapKey),
    authenticate: (nonce) => ({ type: 'auth', method: 'code', team, code: code.id, sig: authSig(ck.verifier.secretKey, nonce, team, 'code', code.id) }),
  };
  session = new Session(deps, new MemoryVaultStore(), keys, url, guest);
  const s = session;
  s.conn.onState((_st, err) => {
    if (err && GUEST_ENDS.has(err.code) && s.conn.lastError) void dropGuest(s);
  });
  try {
    await s.start();
    const welcome = await within(s.conn.whenOnline(), JOIN_TIMEOUT_MS, 'joinWithCode');
    if (welcome.as.kind !== 'code') throw new VaultError('BAD_FORMAT', 'joinWithCode: the relay did not open a code session');
    guest.share = welcome.as.share as unknown as ShareId;
    guest.readOnly = welcome.as.readOnly;
    const state = await s.syncLog(guest.share); // the whole chain, verified, before any key is used
    const c = state.codes.get(code.id);
    if (!c || !c.live) throw new VaultError('CODE_INVALID', 'joinWithCode: the verified log does not list this code as live');
    guest.readOnly = guest.readOnly || c.readOnly; // the signed log wins over the relay's word
    await s.keyring.keysFor(guest.share, state.epoch); // wraps fetched and checked against the commitment
    s.engine.kickAll([guest.share]);
    await s.engine.idle();
  } catch (e) {
    await s.lock().catch(() => undefined);
    throw isVaultError(e) ? e : new VaultError('INTERNAL', 'joinWithCode: failed', { cause: e });
  }
  return guestApi(s);
}

/** The code ended: forget keys and ciphertext now; the session stays locked. */
async function dropGuest(s: Session): Promise<void> {
  if (s.locked) return;
  await s.wipeLocal().catch(() => undefined);
  s.emitChange(s.guest?.share ?? '');
}

const notForGuests = [
  'createShare', 'addMember', 'setRole', 'blockMember', 'accessCodeUsage', 'createAccessCode', 'rotateAccessCode', 'revokeAccessCode', 'reencryptNow', 'devices',
  'changePassword', 'emergencyKit', 'deleteAccount', 'team', 'people', 'inviteColleague', 'teamInvitations', 'revokeTeamInvitation', 'confirmJoins', 'setTeamRole',
  'removeFromTeam', 'revokeDevice', 'finishWipe',
] as const;

function guestApi(s: Session): VaultApi {
  const api = vaultApi(s);
  const refuse = (name: string) => () => Promise.reject(new VaultError('NOT_ALLOWED', `${name}: not available to a guest`));
  // Patched in place: the object stays the one vaultApi() registered (sessionOf works on it).
  for (const n of notForGuests) (api as unknown as Record<string, unknown>)[n] = refuse(n);
  api.relayRecord = async () => ({ kind: 'guest', code: s.guest?.code, share: s.guest?.share });
  return api;
}

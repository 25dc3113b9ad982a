/**
 * Share acceptance, against "share injection": a relay operator can fabricate a share whose
 * log is signed by an account the relay invented and which adds this account as a member. That
 * log verifies (it is self-consistent), so no check of the log can tell it from a genuine
 * invitation; only the user can, by comparing the inviter's safety number out of band. So a
 * share is listed only once it is *accepted* on this device:
 *  - its genesis is by this account, pinning this account's own keys (we created it, maybe on
 *    another of our devices), or
 *  - the user accepted the invitation here (a ShareDecision row in the local store), or
 *  - this is a guest session (typing the access code is the consent).
 * Any other share in which this account is an active member is a pending invitation: its
 * records keep syncing (ciphertext), it is just not listed. A declined one is hidden for good.
 */
import { fromB64url, toB64url } from '../encoding.js';
import { VaultError, isVaultError } from '../errors.js';
import { parseAccountId, parseShareId, type ShareId } from '../ids.js';
import type { BoxPublicKey, SignPublicKey } from '../crypto/key-types.js';
import { safetyNumber } from '../model/fingerprint.js';
import type { ShareDecision } from '../store/vault-store.js';
import type { Invitation } from '../vault-api.js';
import type { ShareState } from './membership.js';
import type { LocalChangeSink, ShareStatePort, VaultParts } from './ports.js';

export type Decisions = Map<string, ShareDecision>;

/** Whether a share may be listed: this account's keys (did we create it?), a guest session lists its one share. */
export type AcceptanceCheck = Pick<VaultParts, 'keys' | 'guest'>;
/** What listing and deciding invitations takes. */
export type InvitationPorts = AcceptanceCheck & Pick<ShareStatePort, 'shares' | 'loadShare'> & Pick<LocalChangeSink, 'emitChange'>
  & Pick<VaultParts, 'store' | 'roster' | 'status' | 'clock'>;

export async function loadDecisions(s: Pick<VaultParts, 'store'>): Promise<Decisions> {
  return new Map((await s.store.listShareDecisions()).map((d) => [d.share, d]));
}

/** The genesis names this account as owner AND pins its own keys (a relay can name our id, not sign with our key). */
function createdByMe(s: Pick<VaultParts, 'keys'>, st: ShareState): boolean {
  const owner = st.members.get(st.owner);
  return st.owner === s.keys.account && owner !== undefined &&
    owner.signPk === toB64url(s.keys.sign.publicKey) && owner.boxPk === toB64url(s.keys.box.publicKey);
}

/** True when the share may be listed on this device (see the file comment). */
export function isAccepted(s: AcceptanceCheck, st: ShareState, decisions: Decisions): boolean {
  return Boolean(s.guest) || createdByMe(s, st) || decisions.get(st.share)?.decision === 'accepted';
}

/** The public keys `account` had when entry `before` was signed (from its create/add entry). */
function keysBefore(st: ShareState, account: string, before: number): { boxPk: string; signPk: string } | undefined {
  let keys: { boxPk: string; signPk: string } | undefined;
  for (const e of st.entries) {
    if (e.index >= before) break;
    const op = e.op as Record<string, unknown>;
    const named = e.op.t === 'create' ? op.owner : e.op.t === 'add' ? op.account : undefined;
    if (named === account) keys = { boxPk: String(op.boxPk), signPk: String(op.signPk) };
  }
  return keys;
}

/** The invitation a share stands for: the newest entry that added this account, if it is an active member. */
function invitationOf(s: Pick<VaultParts, 'keys' | 'roster'>, st: ShareState): Invitation | undefined {
  const me = st.members.get(s.keys.account);
  if (!me || me.blocked) return undefined;
  const added = st.entries.findLast((e) => e.op.t === 'add' && e.op.account === s.keys.account);
  const keys = added && keysBefore(st, added.author, added.index);
  if (!added || !keys) return undefined;
  const inviterFingerprint = safetyNumber(parseAccountId(added.author), fromB64url(keys.boxPk) as BoxPublicKey, fromB64url(keys.signPk) as SignPublicKey);
  return { share: st.share, inviter: added.author, inviterName: s.roster.cachedName(added.author), inviterFingerprint, myRole: me.role, at: added.ts };
}

function pendingOf(s: AcceptanceCheck & Pick<VaultParts, 'roster'>, st: ShareState, decisions: Decisions): Invitation | undefined {
  if (isAccepted(s, st, decisions) || decisions.has(st.share)) return undefined;
  return invitationOf(s, st);
}

export async function invitations(s: InvitationPorts): Promise<Invitation[]> {
  if (s.guest) return [];
  await s.roster.warmNames();
  const decisions = await loadDecisions(s);
  const out: Invitation[] = [];
  for (const row of await s.store.listSyncStates()) {
    const st = s.shares.get(row.share) ?? (await s.loadShare(row.share));
    if (!st) continue;
    try {
      const inv = pendingOf(s, st, decisions);
      if (inv) out.push(inv);
    } catch (e) { // a malformed inviter id or key: not offered, and said so
      s.status.setError(isVaultError(e) ? e : new VaultError('INTERNAL', 'invitations: failed to read an invitation', { cause: e }));
    }
  }
  return out.sort((a, b) => a.at - b.at);
}

async function decide(s: InvitationPorts, fn: string, shareIn: string, decision: ShareDecision['decision']): Promise<void> {
  const share: ShareId = parseShareId(shareIn);
  const st = s.shares.get(share) ?? (await s.loadShare(share));
  const inv = st && pendingOf(s, st, await loadDecisions(s));
  if (!inv) throw new VaultError('NOT_FOUND', `${fn}: no pending invitation to share ${share}`);
  await s.store.putShareDecision({ share, decision, inviter: inv.inviter, inviterFingerprint: inv.inviterFingerprint, at: s.clock.now() });
  s.emitChange(share);
}

export const acceptInvitation = (s: InvitationPorts, share: string) => decide(s, 'acceptInvitation', share, 'accepted');
export const declineInvitation = (s: InvitationPorts, share: string) => decide(s, 'declineInvitation', share, 'declined');

/**
 * Joining a team with an invitation (DESIGN.md §8): read the sealed card first (team and
 * inviter names, the roster head it was made on), then create the account and device locally,
 * prove the secret to the relay (team.join signed by the invitation's verifier key) and bind
 * keys + name with the MAC an admin's client checks before it signs "member joined". The roster
 * the relay then serves must extend the card's head and hold this invitation.
 */
import { toB64url } from '../encoding.js';
import { VaultError } from '../errors.js';
import { newId, type AccountId, type DeviceId } from '../ids.js';
import { ready } from '../crypto/sodium.js';
import { KDF_FLOOR } from '../crypto/kdf.js';
import { addDeviceKey, createAccountWith, toRelayBundle } from '../model/account.js';
import { kdfOf } from '../crypto/kdf-runner.js';
import type { LocalAccountBundle } from '../model/account-bundle.js';
import { deriveInviteKeys, joinMac, openCard, parseInviteLink, sealJoinName, type InviteCard } from '../model/team-invite.js';
import { Results } from '../../protocol/index.js';
import { checkRelayUrl } from '../sync/relay-url.js';
import type { EmergencyKit, InvitationPreview, VaultApi } from '../vault-api.js';
import { vaultApi } from './api.js';
import type { LauncherDeps } from './deps.js';
import { accountRegistration, authSig, deviceRegistration } from './identity.js';
import { preAuthRequest } from './pre-auth.js';
import { Session } from './session.js';
import { restorePendingTransfers } from '../sync/transfers.js';

async function readCard(deps: LauncherDeps, link: string) {
  const l = parseInviteLink(link);
  const url = checkRelayUrl(l.relay);
  const keys = deriveInviteKeys(l.team, l.invite);
  const ans = Results['invite.get'].safeParse(await preAuthRequest(deps.webSocketFactory, url, { type: 'invite.get', team: l.team, invite: l.invite.id }));
  if (!ans.success) throw new VaultError('BAD_FORMAT', 'previewInvitation: bad invite.get answer');
  const card: InviteCard = openCard(keys, l.team, l.invite.id, ans.data.cardEnc);
  if (card.role !== ans.data.role) throw new VaultError('INVITE_INVALID', 'previewInvitation: the relay names another role than the sealed card');
  return { l, url, keys, card, expiresAt: ans.data.expiresAt };
}

export async function previewInvitation(deps: LauncherDeps, link: string): Promise<InvitationPreview> {
  await ready();
  const { url, card, expiresAt } = await readCard(deps, link);
  return { relayUrl: url, teamName: card.teamName, inviterName: card.inviterName, role: card.role, expiresAt };
}

function checkName(fn: string, what: string, v: string): string {
  const t = typeof v === 'string' ? v.trim() : '';
  if (!t || t.length > 100) throw new VaultError('BAD_FORMAT', `${fn}: ${what} must be 1 to 100 characters`);
  return t;
}

export async function joinTeam(deps: LauncherDeps, opts: { link: string; password: string; displayName: string; deviceName: string }): Promise<{ vault: VaultApi; kit: EmergencyKit }> {
  await ready();
  const displayName = checkName('joinTeam', 'your name', opts.displayName);
  const { l, url, keys: ik, card } = await readCard(deps, opts.link);
  const team = l.team;
  const floor = deps.kdfFloor ?? KDF_FLOOR;
  const created = await createAccountWith(kdfOf(deps), { team, account: newId<AccountId>(), password: opts.password, floor, cost: deps.kdfCost ?? floor });
  const keys = created.keys;
  const bundle: LocalAccountBundle = {
    ...addDeviceKey(keys, created.bundle, newId<DeviceId>()), rememberedSecretKey: toB64url(keys.secretKey), relayUrl: url, rosterPin: card.roster,
  };
  const reg = accountRegistration(toRelayBundle(bundle));
  const device = deviceRegistration(keys, opts.deviceName, deps.platform ?? 'other');
  const nameEnc = sealJoinName(ik, team, l.invite.id, keys.account, displayName);
  const mac = joinMac(ik, { team, invite: l.invite.id, account: keys.account, boxPk: reg.boxPk, signPk: reg.signPk, device: device.id, deviceSignPk: device.signPk, nameEnc });
  const store = deps.storeFactory();
  await store.putAccount(bundle);
  const session = new Session(deps, store, keys, url);
  session.firstAuth = (nonce) => ({
    type: 'team.join', team, invite: l.invite.id, account: reg, device, nameEnc, mac,
    sig: authSig(ik.verifier.secretKey, nonce, team, 'team.join', l.invite.id),
  });
  try {
    await restorePendingTransfers(store, session.status);
    await session.start();
    await session.conn.whenOnline();
    // The roster must extend the head the card (sealed by the inviter) names, and hold this invitation.
    const st = await session.roster.sync();
    const inv = st.invites.get(l.invite.id);
    if (!inv || inv.by !== card.inviter) throw new VaultError('LOG_FORKED', 'joinTeam: the roster does not hold this invitation by its inviter');
  } catch (e) {
    await session.lock().catch(() => undefined);
    const wipeStore = deps.storeFactory();
    await wipeStore.wipe().catch(() => undefined);
    throw e;
  }
  return { vault: vaultApi(session), kit: { relayUrl: url, teamId: team, accountId: keys.account, secretKey: created.secretKey } };
}

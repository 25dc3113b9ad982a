/**
 * A second account in the same team and share: joined with a team invitation (the real flow),
 * then added to the share. The newcomer's device store holds its bundle afterwards, so
 * `launcher.unlock(password)` opens it like any other device.
 */
import { sessionOf } from '../../../../core/vault/api.js';
import { nextEntry } from '../../../../core/vault/membership.js';
import { wrapShareKeyForMember } from '../../../../core/model/share-keys.js';
import { TEST_KDF_COST, type KdfFloor } from '../../../../core/crypto/kdf.js';
import { fromB64url, toB64url } from '../../../../core/encoding.js';
import type { ShareId } from '../../../../core/ids.js';
import type { BoxPublicKey } from '../../../../core/crypto/key-types.js';
import type { VaultApi } from '../../../../core/vault-api.js';
import { simDevice, waitFor, type SimDevice } from './devices.js';

/**
 * The member's side: wait until the share is offered as an invitation, then accept it on this
 * device (core/vault/invitations.ts). Until then listShares() does not list it.
 */
export async function acceptInvitation(member: VaultApi, share: string): Promise<void> {
  await waitFor(member, async () => ((await member.invitations()).some((i) => i.share === share) ? true : undefined), `invitation to ${share}`);
  await member.acceptInvitation(share);
}

/** Add an existing account of the team to a share (an `add` entry + the share key wrapped for it). */
export async function addExistingAccount(owner: VaultApi, share: string, account: string, boxPk: string, signPk: string, role: 'editor' | 'viewer' = 'editor'): Promise<void> {
  const s = sessionOf(owner);
  const shareId = share as ShareId;
  const state = await s.syncLog(shareId);
  const key = await s.keyring.keysFor(shareId, state.epoch);
  const e = nextEntry(share, state, s.keys.account, { t: 'add', account, boxPk, signPk, role }, Date.now(), s.keys.sign.secretKey);
  const wrapped = toB64url(wrapShareKeyForMember(key, fromB64url(boxPk) as BoxPublicKey));
  await s.conn.request({ type: 'log.append', share, entries: [e], wraps: [{ epoch: state.epoch, to: { kind: 'account', id: account }, wrapped }] });
  await s.syncLog(shareId);
}

/**
 * A colleague joins the team the way the app does it: the owner makes a team invitation, the
 * newcomer's device joins with the link (launcher.joinTeam), the owner's open client confirms
 * the join on its own (it checks the invitation MAC), and the newcomer sees itself in the roster.
 */
export async function joinAsColleague(owner: VaultApi, dev: SimDevice, password: string, role: 'admin' | 'member' = 'member'): Promise<{ account: string; secretKey: string; vault: VaultApi }> {
  const inv = await owner.inviteColleague({ role, expiresInHours: 1 });
  const { vault, kit } = await dev.launcher.joinTeam({ link: inv.link, password, displayName: `${dev.name} name`, deviceName: dev.name });
  await waitFor(vault, async () => ((await vault.team()).myRole ? true : undefined), `${dev.name} confirmed in the team`);
  return { account: kit.accountId, secretKey: kit.secretKey, vault };
}

/**
 * `cost`: the newcomer's password KDF cost (the test cost by default; the real floor when a
 * browser, which refuses weaker parameters, signs in with the returned Secret Key — then a
 * device with that cost stands in for `dev`).
 */
export async function addSecondAccount(owner: VaultApi, share: string, dev: SimDevice, password: string, role: 'editor' | 'viewer' = 'editor', cost: KdfFloor = TEST_KDF_COST): Promise<{ account: string; secretKey: string }> {
  const d = cost === TEST_KDF_COST ? dev : simDevice(`${dev.name}-kdf`, { kdfCost: cost });
  const j = await joinAsColleague(owner, d, password);
  await owner.addMember(share, j.account, role);
  await j.vault.lock();
  return { account: j.account, secretKey: j.secretKey };
}

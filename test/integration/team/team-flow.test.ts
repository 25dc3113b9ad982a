/**
 * The team as the app uses it, real core against the real relay: create (names sealed under the
 * team key), invite, join (confirmed automatically by the admin's open client), names on both
 * sides, team roles, adding a colleague to a share by the roster's keys, removal (cut off with
 * MEMBER_REMOVED, blocked in the share, nothing written afterwards readable by them), devices.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relayAvailable, startRelay, type RelayProcess } from '../sync/helpers/relay.js';
import { simDevice, waitFor, waitStatus, type SimDevice } from '../sync/helpers/devices.js';
import { acceptInvitation, joinAsColleague } from '../sync/helpers/second-account.js';
import { sessionOf } from '../../../core/vault/api.js';
import { openNote } from '../../../core/model/note.js';
import { isVaultError } from '../../../core/errors.js';
import type { ShareId } from '../../../core/ids.js';
import type { VaultApi } from '../../../core/vault-api.js';

const PW = 'team flow password';

describe.skipIf(!relayAvailable)('team flow (real relay)', () => {
  let relay: RelayProcess;
  let owner: VaultApi;
  let colDev: SimDevice;
  let col: { account: string; vault: VaultApi };
  let share: string;

  beforeAll(async () => {
    relay = await startRelay();
    owner = (await simDevice('tf-owner').launcher.createTeam({ displayName: 'Olga Owner', teamName: 'Kanzlei Muster', relayUrl: relay.url, password: PW, deviceName: 'laptop' })).vault;
    colDev = simDevice('tf-col');
  });
  afterAll(async () => { await relay?.stop(); });

  it('the invitee sees the team and inviter names before it creates anything', async () => {
    const inv = await owner.inviteColleague({ role: 'member', expiresInHours: 24, label: 'für Frau Meier' });
    expect(inv.info).toMatchObject({ label: 'für Frau Meier', role: 'member', state: 'live', by: 'Olga Owner' });
    expect(inv.link).toMatch(/^truhe:\/\/team\?/);
    expect(inv.code).toMatch(/^TRI-/);
    const p = await colDev.launcher.previewInvitation(inv.link);
    expect(p).toMatchObject({ teamName: 'Kanzlei Muster', inviterName: 'Olga Owner', role: 'member' });
    expect(await colDev.launcher.hasLocalAccount()).toBe(false);
    await owner.revokeTeamInvitation(inv.info.id);
    expect((await owner.teamInvitations()).find((i) => i.id === inv.info.id)?.state).toBe('revoked');
    await expect(colDev.launcher.previewInvitation(inv.link)).rejects.toMatchObject({ code: 'INVITE_INVALID' });
  });

  it('a colleague joins; the admin confirms on its own; both see each other by name', async () => {
    col = await joinAsColleague(owner, colDev, PW);
    expect(await col.vault.team()).toMatchObject({ name: 'Kanzlei Muster', myRole: 'member' });
    const seenByOwner = await owner.people();
    expect(seenByOwner.map((p) => [p.name, p.role, p.you])).toEqual([['Olga Owner', 'owner', true], [`${colDev.name} name`, 'member', false]]);
    expect(seenByOwner[1]!.devices.map((d) => d.active)).toEqual([true]);
    const seenByCol = await waitFor(col.vault, async () => { const p = await col.vault.people(); return p.length === 2 ? p : undefined; }, 'people');
    expect(seenByCol.map((p) => p.name)).toEqual(['Olga Owner', `${colDev.name} name`]);
    expect(seenByCol[0]!.fingerprint).toBe(seenByOwner[0]!.fingerprint);
  });

  it('a plain member cannot invite, change roles, remove, or revoke another person\'s device', async () => {
    expect((await col.vault.inviteColleague({ role: 'member', expiresInHours: 1 }).catch((e) => e)).code).toBe('NOT_ALLOWED');
    const ownerAcc = sessionOf(owner).keys.account;
    expect((await col.vault.setTeamRole(ownerAcc, 'member').catch((e) => e)).code).toBe('NOT_ALLOWED');
    expect((await col.vault.removeFromTeam(ownerAcc).catch((e) => e)).code).toBe('NOT_ALLOWED');
    expect((await col.vault.revokeDevice(sessionOf(owner).keys.device!.id).catch((e) => e)).code).toBe('NOT_ALLOWED');
  });

  it('roles: the owner makes the colleague an admin and back', async () => {
    await owner.setTeamRole(col.account, 'admin');
    await waitFor(col.vault, async () => ((await col.vault.team()).myRole === 'admin' ? true : undefined), 'admin');
    await owner.setTeamRole(col.account, 'member');
    expect((await owner.people()).find((p) => p.account === col.account)?.role).toBe('member');
  });

  it('the owner adds the colleague to a share (keys from the roster); the colleague reads it, sees the author by name', async () => {
    share = (await owner.createShare('Mandant Meier')).id;
    await owner.saveNote(share, { title: 'Vertrag', body: 'Entwurf 1', tags: [] });
    await owner.addMember(share, col.account, 'editor');
    expect((await owner.members(share)).map((m) => m.label)).toEqual(['Olga Owner', `${colDev.name} name`]);
    await acceptInvitation(col.vault, share);
    const items = await waitFor(col.vault, async () => { const l = await col.vault.listItems(share); return l.length ? l : undefined; }, 'items');
    expect(items.map((i) => [i.title, i.author.name, i.author.isMe])).toEqual([['Vertrag', 'Olga Owner', false]]);
    expect((await owner.members(share)).map((m) => [m.name, m.isMe])).toEqual([['Olga Owner', true], [`${colDev.name} name`, false]]);
  });

  it('removing the colleague cuts it off (MEMBER_REMOVED), blocks it in the share, and nothing written afterwards opens with its keys', async () => {
    const cs = sessionOf(col.vault);
    await owner.removeFromTeam(col.account);
    const st = await waitStatus(col.vault, (x) => x.lastError?.code === 'MEMBER_REMOVED', 'removed');
    expect(st.connection).toBe('offline');
    const os = sessionOf(owner);
    const ss = await os.syncLog(share as ShareId);
    expect(ss.members.get(col.account)?.blocked).toBe(true);
    const item = await owner.saveNote(share, { title: 'Nach dem Austritt', body: 'geheim', tags: [] });
    const rec = await os.store.getRecord(share as ShareId, item as never);
    // the removed colleague's keyring can open no key of the new epoch
    const opened = await openNote(cs.openCtx(share as ShareId), rec!.envelope).then(() => 'opened', (e: unknown) => (isVaultError(e) ? e.code : 'other'));
    expect(opened).not.toBe('opened');
    expect((await owner.people()).find((p) => p.account === col.account)).toMatchObject({ active: false });
    // and it cannot come back on another device of its own
    const again = await colDev.launcher.unlock(PW);
    await waitStatus(again, (x) => x.lastError?.code === 'MEMBER_REMOVED', 'removed again');
  });

  it('a revoked device with unsynced changes is offered the export before it wipes (not "lost"); finishWipe then deletes', async () => {
    const dev = simDevice('tf-wipe');
    const j = await joinAsColleague(owner, dev, PW);
    const s2 = (await owner.createShare('Akte Wipe')).id;
    await owner.addMember(s2, j.account, 'editor');
    await acceptInvitation(j.vault, s2);
    dev.offline = true;
    dev.dropConnections();
    await waitStatus(j.vault, (x) => x.connection !== 'online', 'offline');
    await j.vault.saveNote(s2, { title: 'Offline geschrieben', body: 'nicht synchronisiert', tags: [] });
    await owner.revokeDevice(sessionOf(j.vault).keys.device!.id, { lost: false });
    dev.offline = false;
    const st = await waitStatus(j.vault, (x) => x.wipe !== undefined, 'wipe offered');
    expect(st.wipe).toEqual({ by: 'Olga Owner', lost: false, pendingChanges: 1 });
    expect(await dev.launcher.hasLocalAccount()).toBe(true);
    const zip = new Uint8Array(await new Response(j.vault.exportAll()).arrayBuffer());
    expect(zip.length).toBeGreaterThan(100);
    await j.vault.finishWipe();
    expect(await dev.launcher.hasLocalAccount()).toBe(false);
  });
});

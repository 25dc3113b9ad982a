/**
 * Hostile relay against the team (DESIGN.md §8), with the real core on both ends and the real
 * relay behind a man-in-the-middle:
 *  - key substitution on every path a public key travels (the join request, the roster served
 *    to a client, re-wraps after a rotation): refused, and at the end the relay's own secret key
 *    opens no wrapped key in any frame that crossed it (so it can decrypt no note and no name);
 *  - wipe orders: a bare `wipe` locks and deletes nothing; an order signed by a plain member
 *    deletes nothing; an order by a team admin, or by the account itself, wipes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relayAvailable } from '../integration/sync/helpers/relay.js';
import { waitFor, waitStatus } from '../integration/sync/helpers/devices.js';
import { joinAsColleague } from '../integration/sync/helpers/second-account.js';
import { sessionOf } from '../../core/vault/api.js';
import { ready, sodium } from '../../core/crypto/sodium.js';
import { fromB64url, toB64url } from '../../core/encoding.js';
import { nextRosterEntry } from '../../core/model/roster.js';
import type { VaultApi } from '../../core/vault-api.js';
import { HostileRelay, rewriteJson } from './harness.js';
import { codeOf, device, until } from './util.js';

const PW = 'hostile team password';

describe.skipIf(!relayAvailable)('hostile relay vs the team roster', () => {
  let h: HostileRelay;
  let relayKeys: { publicKey: Uint8Array; privateKey: Uint8Array };
  const relayPk = () => toB64url(relayKeys.publicKey);

  /** Every wrapped key (share wraps, team wraps) in any captured frame that the relay's key opens. */
  function openedByRelay(): number {
    let n = 0;
    const tryOpen = (w: unknown) => {
      if (typeof w !== 'string') return;
      try {
        sodium().crypto_box_seal_open(fromB64url(w), relayKeys.publicKey, relayKeys.privateKey);
        n++;
      } catch { /* not for the relay: good */ }
    };
    for (const f of h.frames()) {
      const m = f.msg;
      if (!m) continue;
      if (Array.isArray(m.wraps)) for (const w of m.wraps) tryOpen(w?.wrapped);
    }
    return n;
  }

  beforeAll(async () => {
    await ready();
    const kp = sodium().crypto_box_keypair();
    relayKeys = { publicKey: kp.publicKey, privateKey: kp.privateKey };
    h = await HostileRelay.start();
  });
  afterAll(async () => { await h?.stop(); });

  it('a join request whose keys the relay swapped is refused by the admin; no key is ever wrapped for the relay', async () => {
    const owner = (await device('kt-owner').launcher.createTeam({ displayName: 'Olga Owner', teamName: 'Kanzlei', relayUrl: h.url, password: PW, deviceName: 'o' })).vault;
    h.hooks = [rewriteJson('up', (m) => (m.type === 'team.join' ? { ...m, account: { ...m.account, boxPk: relayPk() } } : undefined))];
    const inv = await owner.inviteColleague({ role: 'member', expiresInHours: 1 });
    const newcomer = device('kt-new');
    const { vault } = await newcomer.launcher.joinTeam({ link: inv.link, password: PW, displayName: 'Nina New', deviceName: 'n' });
    const s = await waitStatus(owner, (x) => x.lastError?.code === 'KEY_CHANGED', 'the admin refuses the swapped join');
    expect(s.lastError?.message).toMatch(/failed its check/);
    expect((await owner.people()).map((p) => p.name)).toEqual(['Olga Owner']);
    expect((await vault.team()).myRole).toBeNull();
    expect(openedByRelay()).toBe(0);
    h.hooks = [];
    await vault.lock();
    await owner.lock();
  });

  it('keys swapped in the roster the relay serves never reach a wrap: adding to a share and rotating use the verified roster; a fresh device refuses the forged roster', async () => {
    const ownerDev = device('kt2-owner');
    const owner = (await ownerDev.launcher.createTeam({ displayName: 'Olga Owner', teamName: 'Kanzlei', relayUrl: h.url, password: PW, deviceName: 'o' })).vault;
    const colleague = await joinAsColleague(owner, device('kt2-col'), PW);
    // From now on every roster answer carries the relay's key for the colleague.
    h.hooks = [rewriteJson('down', (m) => {
      if (m.type !== 'ok' || !Array.isArray(m.entries) || m.entries[0]?.team === undefined) return undefined;
      return { ...m, entries: m.entries.map((e: any) => (e.op?.account === colleague.account && e.op.boxPk ? { ...e, op: { ...e.op, boxPk: relayPk() } } : e)) };
    })];
    const share = (await owner.createShare('Mandant A')).id;
    await owner.saveNote(share, { title: 'Vertraulich', body: 'geheimer Inhalt', tags: [] });
    await owner.addMember(share, colleague.account, 'editor');
    await owner.createAccessCode(share, { label: 'Prüfer', readOnly: true, expiresAt: null }).then((c) => owner.rotateAccessCode(share, c.info.id));
    await owner.reencryptNow(share);
    // the colleague (whose own key is genuine) reads everything
    const col = colleague.vault;
    await waitFor(col, async () => ((await col.invitations()).some((i) => i.share === share) ? true : undefined), 'invitation');
    await col.acceptInvitation(share);
    await waitFor(col, async () => ((await col.listItems(share)).some((i) => i.title === 'Vertraulich') ? true : undefined), 'note visible to the colleague');
    expect(openedByRelay()).toBe(0);
    // A fresh device of the owner is served the forged roster: the join entry's signature fails.
    const fresh = device('kt2-fresh');
    const code = await codeOf(fresh.launcher.signInNewDevice({ kit: { relayUrl: h.url, teamId: sessionOf(owner).team, accountId: sessionOf(owner).keys.account, secretKey: (await ownerKit(ownerDev)) }, password: PW, deviceName: 'fresh' }));
    expect(code).toBe('BAD_SIGNATURE');
    expect(h.frames('up').some((f) => f.msg?.type === 'device.register')).toBe(false);
    h.hooks = [];
    await col.lock();
    await owner.lock();
  });

  describe('wipe orders', () => {
    let owner: VaultApi;
    let member: { account: string; vault: VaultApi };
    let memberDev: ReturnType<typeof device>;
    beforeAll(async () => {
      owner = (await device('kw-owner').launcher.createTeam({ displayName: 'Olga', teamName: 'Praxis', relayUrl: h.url, password: PW, deviceName: 'o' })).vault;
      memberDev = device('kw-member');
      member = await joinAsColleague(owner, memberDev, PW);
    });

    function memberLink() {
      const dev = sessionOf(member.vault).keys.device!.id;
      const c = h.captured.findLast((x) => x.dir === 'up' && typeof x.data === 'string' && (x.data.includes('"method":"device"') || x.data.includes('"type":"team.join"')) && x.data.includes(dev));
      return h.links[c!.link]!;
    }

    it('a bare relay `wipe` locks the vault and deletes nothing (WIPE_UNVERIFIED)', async () => {
      memberLink().inject('down', JSON.stringify({ type: 'wipe' }));
      const s = await waitStatus(member.vault, (x) => x.lastError?.code === 'WIPE_UNVERIFIED', 'unverified wipe');
      expect(s.connection).toBe('offline');
      const store = memberDev.openStore();
      expect(await store.getAccount()).toBeDefined();
      await store.close();
      expect(await codeOf(member.vault.listShares())).toBe('LOCKED');
      member.vault = await memberDev.launcher.unlock(PW);
      await waitStatus(member.vault, (x) => x.connection === 'online', 'back online');
    });

    it('an order signed by a plain member (not an admin, not the account) deletes nothing', async () => {
      // a second colleague signs a perfectly formed device.revoke for the first colleague's device
      const other = await joinAsColleague(owner, device('kw-other'), PW);
      const os = sessionOf(other.vault);
      const ms = sessionOf(member.vault);
      const st = await os.roster.sync();
      const forged = nextRosterEntry(os.team, st, os.keys.account, { t: 'device.revoke', account: ms.keys.account as never, device: ms.keys.device!.id as never, lost: true }, Date.now(), os.keys.sign.secretKey);
      memberLink().inject('down', JSON.stringify({ type: 'wipe', order: forged }));
      await waitStatus(member.vault, (x) => x.lastError?.code === 'WIPE_UNVERIFIED', 'forged order refused');
      const store = memberDev.openStore();
      expect(await store.getAccount()).toBeDefined();
      await store.close();
      await other.vault.lock();
      member.vault = await memberDev.launcher.unlock(PW);
      await waitStatus(member.vault, (x) => x.connection === 'online', 'back online');
    });

    it('an order by a team admin wipes the device', async () => {
      const dev = sessionOf(member.vault).keys.device!.id;
      await owner.revokeDevice(dev, { lost: true });
      await waitStatus(member.vault, (x) => x.lastError?.code === 'DEVICE_WIPED', 'wiped');
      await until(async () => (await memberDev.launcher.hasLocalAccount()) === false || undefined, 'local data gone');
      const store = memberDev.openStore();
      expect(await store.getAccount()).toBeUndefined();
      expect(await store.listSyncStates()).toEqual([]);
      await store.close();
    });

    it('an order by the account itself wipes its own device, after offering unsynced changes unless lost', async () => {
      const selfDev = device('kw-self');
      const me = await joinAsColleague(owner, selfDev, PW);
      const devId = sessionOf(me.vault).keys.device!.id;
      await me.vault.revokeDevice(devId, { lost: false });
      const s = await waitStatus(me.vault, (x) => x.lastError?.code === 'DEVICE_WIPED', 'self wipe');
      expect(s.wipe).toBeUndefined(); // nothing unsynced: no export offered
      await until(async () => (await selfDev.launcher.hasLocalAccount()) === false || undefined, 'local data gone');
    });
  });
});

/** The owner device's remembered Secret Key, formatted as the kit shows it. */
async function ownerKit(dev: ReturnType<typeof device>): Promise<string> {
  const store = dev.openStore();
  const b = await store.getAccount();
  await store.close();
  const { formatSecretKey } = await import('../../core/model/secret-key.js');
  return formatSecretKey(fromB64url(b!.rememberedSecretKey!) as never);
}

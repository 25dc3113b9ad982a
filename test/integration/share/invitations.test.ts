/**
 * Invitations against the real relay (core/vault/invitations.ts): a share another account added
 * this account to is offered as an invitation (inviter and safety number) and listed only after
 * the user accepts it on this device; a declined one stays hidden, across lock and unlock; a
 * share this account created is listed on its other devices without any acceptance.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relayAvailable, startRelay, type RelayProcess } from '../sync/helpers/relay.js';
import { addSecondAccount } from '../sync/helpers/second-account.js';
import { simDevice, type SimDevice } from '../sync/helpers/devices.js';
import { sessionOf } from '../../../core/vault/api.js';
import type { EmergencyKit, VaultApi } from '../../../core/vault-api.js';
import { codeOf, lockAll, synced, waitFor } from './helpers.js';

let relay: RelayProcess;
let a: VaultApi;
let b: VaultApi;
let bDev: SimDevice;
let kit: EmergencyKit;
let share: string;
let note: string;
let bId: string;

const ids = async (p: Promise<{ id: string }[]>) => (await p).map((x) => x.id);
const invited = async (v: VaultApi) => (await v.invitations()).map((i) => i.share);

beforeAll(async () => {
  if (!relayAvailable) return;
  relay = await startRelay();
  const created = await simDevice('inv-a').launcher.createTeam({ displayName: 'Owner', teamName: 'Firm', relayUrl: relay.url, password: 'pw a', deviceName: 'a' });
  a = created.vault;
  kit = created.kit;
  share = (await a.createShare('Kanzlei')).id;
  note = await a.saveNote(share, { title: 'Akte', body: 'for B', tags: [] });
  await synced(a);
  bDev = simDevice('inv-b');
  bId = (await addSecondAccount(a, share, bDev, 'pw b', 'editor')).account;
  b = await bDev.launcher.unlock('pw b');
});
afterAll(async () => {
  await lockAll(a, b);
  await relay?.stop();
});

describe.skipIf(!relayAvailable)('invitations', () => {
  it('an unaccepted invitation is not listed, but offered with the inviter and their safety number; its items still sync', async () => {
    const inv = await waitFor(b, async () => (await b.invitations()).find((i) => i.share === share), 'invitation on B');
    const ownerRow = (await a.members(share)).find((m) => m.role === 'owner')!;
    expect(inv).toMatchObject({ inviter: sessionOf(a).keys.account, inviterFingerprint: ownerRow.fingerprint, myRole: 'editor' });
    expect(inv.at).toBeGreaterThan(0);
    expect(await ids(b.listShares())).not.toContain(share);
    // sync goes on (ciphertext); the item is readable by id, just not listed among the shares
    await waitFor(b, async () => ((await b.listItems(share)).some((i) => i.id === note) ? true : undefined), 'note pulled on B');
    expect(await invited(a)).toEqual([]); // the creator has nothing to accept
    expect(await codeOf(b.acceptInvitation('AAAAAAAAAAAAAAAAAAAAAA'))).toBe('NOT_FOUND');
  });

  it('accept: listed with its name and role, no longer an invitation, and a change is emitted', async () => {
    const changed: string[] = [];
    const off = b.onChange((s) => changed.push(s));
    await b.acceptInvitation(share);
    off();
    expect(changed).toContain(share);
    expect((await b.listShares()).find((s) => s.id === share)).toMatchObject({ name: 'Kanzlei', myRole: 'editor' });
    expect(await invited(b)).not.toContain(share);
    expect(await codeOf(b.acceptInvitation(share))).toBe('NOT_FOUND'); // nothing pending any more
  });

  it('decline: gone from both lists, and stays gone after lock and unlock; the accepted one stays accepted', async () => {
    const share2 = (await a.createShare('Fremd')).id;
    await synced(a);
    await a.addMember(share2, bId, 'viewer');
    await waitFor(b, async () => ((await invited(b)).includes(share2) ? true : undefined), 'second invitation on B');
    expect((await b.invitations()).find((i) => i.share === share2)?.myRole).toBe('viewer');
    await b.declineInvitation(share2);
    expect(await invited(b)).not.toContain(share2);
    expect(await ids(b.listShares())).not.toContain(share2);
    expect(await codeOf(b.acceptInvitation(share2))).toBe('NOT_FOUND');

    await b.lock();
    b = await bDev.launcher.unlock('pw b');
    await synced(b);
    await sessionOf(b).engine.idle();
    await sessionOf(b).syncLog(share2 as never); // the log is fetched again: still declined
    expect(await invited(b)).not.toContain(share2);
    expect(await ids(b.listShares())).toEqual([share]);
    const store = bDev.openStore();
    const rows = await store.listShareDecisions();
    await store.close();
    expect(rows.map((r) => [r.share, r.decision]).sort()).toEqual([[share, 'accepted'], [share2, 'declined']].sort());
    expect(JSON.stringify(rows)).not.toMatch(/Kanzlei|Fremd/); // ids and fingerprints only
  });

  it('a share this account created is listed on a new device of the same account without acceptance', async () => {
    const a2 = await simDevice('inv-a2').launcher.signInNewDevice({ kit, password: 'pw a', deviceName: 'a2' });
    try {
      const shares = await waitFor(a2, async () => {
        const l = await a2.listShares();
        return l.length === 2 && l.every((s) => s.name !== '') ? l : undefined;
      }, 'both shares on the new device');
      expect(shares.map((s) => [s.name, s.myRole]).sort()).toEqual([['Fremd', 'owner'], ['Kanzlei', 'owner']]);
      expect(await a2.invitations()).toEqual([]);
    } finally {
      await a2.lock();
    }
  });
});

/**
 * A relay that shows a fresh device an older roster or share log (DESIGN.md §8): every device
 * uploads a checkpoint signed by its account; a new device of the account refuses anything
 * shorter (LOG_ROLLED_BACK). Also: records signed by someone whose role did not allow writing are
 * refused even if the relay stored them, and KDF parameters far above the app's own are refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relayAvailable } from '../integration/sync/helpers/relay.js';
import { addSecondAccount } from '../integration/sync/helpers/second-account.js';
import { sessionOf } from '../../core/vault/api.js';
import { fromB64url } from '../../core/encoding.js';
import { formatSecretKey } from '../../core/model/secret-key.js';
import { sealNote } from '../../core/model/note.js';
import { newId, type ItemId, type ShareId } from '../../core/ids.js';
import type { VaultApi } from '../../core/vault-api.js';
import { HostileRelay, rewriteJson } from './harness.js';
import { codeOf, device, until } from './util.js';

const PW = 'hostile rollback password';

describe.skipIf(!relayAvailable)('hostile relay: fresh-device rollback, role checks on records, KDF ceiling', () => {
  let h: HostileRelay;
  let ownerDev: ReturnType<typeof device>;
  let owner: VaultApi;
  let share: string;
  let kit: { relayUrl: string; teamId: string; accountId: string; secretKey: string };

  beforeAll(async () => {
    h = await HostileRelay.start();
    ownerDev = device('rb-owner');
    const created = await ownerDev.launcher.createTeam({ displayName: 'Olga', teamName: 'Büro', relayUrl: h.url, password: PW, deviceName: 'o' });
    owner = created.vault;
    kit = created.kit;
    share = (await owner.createShare('Akten')).id;
    for (let i = 0; i < 3; i++) await owner.createAccessCode(share, { label: `c${i}`, readOnly: true, expiresAt: null });
    await owner.inviteColleague({ role: 'member', expiresInHours: 1 });
    // the checkpoint of the owner's device names the current heads (uploaded shortly after they move)
    const s = sessionOf(owner);
    await until(async () => {
      const got = h.frames('up').filter((f) => f.msg?.type === 'checkpoint.put').at(-1)?.msg;
      return got && got.body.roster.length === s.roster.head()!.length && got.body.shares.some((x: any) => x.share === share && x.length === 4) ? true : undefined;
    }, 'checkpoint with the current heads');
  });
  afterAll(async () => { await owner?.lock(); await h?.stop(); });

  it('a new device is served a roster without its newest entries: LOG_ROLLED_BACK, no device registered', async () => {
    h.hooks = [rewriteJson('down', (m) => (m.type === 'ok' && Array.isArray(m.entries) && m.entries[0]?.team ? { ...m, entries: m.entries.slice(0, -1) } : undefined))];
    const fresh = device('rb-fresh1');
    expect(await codeOf(fresh.launcher.signInNewDevice({ kit, password: PW, deviceName: 'fresh' }))).toBe('LOG_ROLLED_BACK');
    expect(await fresh.launcher.hasLocalAccount()).toBe(false);
    h.hooks = [];
  });

  it('a new device is served a share log without its newest entries: LOG_ROLLED_BACK reported, the share not listed', async () => {
    h.hooks = [rewriteJson('down', (m) => (m.type === 'ok' && Array.isArray(m.entries) && m.entries[0]?.share === share ? { ...m, entries: m.entries.slice(0, 2) } : undefined))];
    const fresh = device('rb-fresh2');
    const v = await fresh.launcher.signInNewDevice({ kit, password: PW, deviceName: 'fresh' });
    await until(async () => { let code; v.onStatus((x) => { code = x.lastError?.code; })(); return code === 'LOG_ROLLED_BACK' ? true : undefined; }, 'rollback reported');
    expect((await v.listShares()).map((x) => x.id)).not.toContain(share);
    h.hooks = [];
    await v.lock();
  });

  it('a checkpoint with a forged signature is ignored (it cannot raise or lower the pin): the genuine roster is accepted', async () => {
    h.hooks = [rewriteJson('down', (m) => (m.type === 'ok' && Array.isArray(m.checkpoints) ? { ...m, checkpoints: m.checkpoints.map((c: any) => ({ ...c, body: { ...c.body, roster: { ...c.body.roster, length: 999 } } })) } : undefined))];
    const fresh = device('rb-fresh3');
    const v = await fresh.launcher.signInNewDevice({ kit, password: PW, deviceName: 'fresh' });
    expect((await v.team()).myRole).toBe('owner');
    h.hooks = [];
    await v.lock();
  });

  it('a record signed by a viewer is refused by every client, even if the relay stored it', async () => {
    const viewerDev = device('rb-viewer');
    await addSecondAccount(owner, share, viewerDev, PW, 'viewer');
    const viewer = await viewerDev.launcher.unlock(PW);
    const vs = sessionOf(viewer);
    const os = sessionOf(owner);
    const st = await os.syncLog(share as ShareId);
    const key = await os.keyring.keysFor(share as ShareId, st.epoch);
    const env = sealNote({
      team: os.team, share: share as ShareId, item: newId<ItemId>(), version: 1, baseVersion: 0, epoch: st.epoch, shareKey: key,
      author: { kind: 'account', id: vs.keys.account }, authorKey: vs.keys.sign.secretKey,
    }, { title: 'untergeschoben', body: 'vom Betrachter', tags: [], updatedAt: Date.now() } as never);
    expect(await codeOf(os.verifyEnvelope(share as ShareId, env))).toBe('NOT_ALLOWED');
    // the same record by the owner (an editor-or-above) verifies
    const ok = sealNote({ team: os.team, share: share as ShareId, item: newId<ItemId>(), version: 1, baseVersion: 0, epoch: st.epoch, shareKey: key, author: { kind: 'account', id: os.keys.account }, authorKey: os.keys.sign.secretKey },
      { title: 'echt', body: 'vom Owner', tags: [], updatedAt: Date.now() } as never);
    await expect(os.verifyEnvelope(share as ShareId, ok)).resolves.toEqual(os.keys.sign.publicKey); // verified: the author's key
    await viewer.lock();
  });

  it('KDF parameters far above the app\'s own (a relay hanging sign-in) are refused with KDF_TOO_COSTLY', async () => {
    h.hooks = [rewriteJson('down', (m) => (m.type === 'ok' && m.kdf ? { ...m, kdf: { ...m.kdf, opslimit: 64, memlimit: 1024 * 1024 * 1024 } } : undefined))];
    const fresh = device('rb-fresh4');
    expect(await codeOf(fresh.launcher.signInNewDevice({ kit: { ...kit, secretKey: formatSecretKey(fromB64url((await ownerDev.openStore().getAccount())!.rememberedSecretKey!) as never) }, password: PW, deviceName: 'fresh' }))).toBe('KDF_TOO_COSTLY');
    h.hooks = [];
  });
});

/**
 * A member's verified log can lag behind the records it pulls: the `log` notice of a rotation
 * was lost (here: a relay that drops every `log` notice), or the record's `changed` notice simply
 * came first. A record sealed under an epoch the member's log does not know yet must make the
 * member read the log first — judged on the stale log, its author "could not write at that
 * epoch", the record is refused, and the pull position moves past it: the edit never shows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relayAvailable } from '../integration/sync/helpers/relay.js';
import { simDevice, synced, waitFor } from '../integration/sync/helpers/devices.js';
import { acceptInvitation, addSecondAccount } from '../integration/sync/helpers/second-account.js';
import { ready } from '../../core/crypto/sodium.js';
import type { VaultApi } from '../../core/vault-api.js';
import { HostileRelay, rewriteJson } from './harness.js';

let h: HostileRelay;
let owner: VaultApi, member: VaultApi;
beforeAll(async () => {
  if (!relayAvailable) return;
  await ready();
  h = await HostileRelay.start();
}, 60_000);
afterAll(async () => {
  for (const v of [member, owner]) await v?.lock().catch(() => undefined);
  await h?.stop();
});

const bodyOn = (v: VaultApi, share: string, item: string, body: string) =>
  waitFor(v, async () => ((await v.readNote(share, item).catch(() => null))?.body === body ? true : undefined), `body "${body}"`, 20_000);

describe.skipIf(!relayAvailable)('a record from an epoch the member has not read in its log yet', () => {
  it('is verified against the log read anew, stored and shown (not refused and skipped for good)', async () => {
    owner = (await simDevice(`stale-owner-${process.pid}`).launcher.createTeam({ displayName: 'Owner', teamName: 'Firm', relayUrl: h.url, password: 'stale log owner pw', deviceName: 'o' })).vault;
    const share = (await owner.createShare('Akten')).id;
    const item = await owner.saveNote(share, { title: 'Vertrag', body: 'eins', tags: [] });
    await synced(owner);
    const memberDev = simDevice(`stale-member-${process.pid}`);
    await addSecondAccount(owner, share, memberDev, 'stale log member pw');
    member = await memberDev.launcher.unlock('stale log member pw');
    await acceptInvitation(member, share);
    await bodyOn(member, share, item, 'eins');

    let dropped = 0;
    h.hooks = [rewriteJson('down', (m) => (m.type === 'log' ? (dropped++, 'drop') : undefined))];
    const code = await owner.createAccessCode(share, { label: 'Gast', readOnly: true, expiresAt: null });
    await owner.rotateAccessCode(share, code.info.id); // a new epoch
    const n = await owner.readNote(share, item);
    await owner.saveNoteEdit(share, { ...n, body: 'zwei (neue Epoche)' }, item, n);
    await synced(owner);
    await bodyOn(member, share, item, 'zwei (neue Epoche)');
    expect(dropped).toBeGreaterThan(0); // the member really missed the log notices
  }, 120_000);
});

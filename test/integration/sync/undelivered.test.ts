/**
 * Issue 14: a member blocked while edits waited in the outbox. On reconnect the relay refuses the
 * push; the change is not left "1 change waiting" forever: pending drops to 0, the member is told
 * NOT_DELIVERED with the count, and can export the undelivered text decrypted. The owner never
 * receives it. Real relay, real core, two accounts.
 */
import { unzipSync, strFromU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relayAvailable, startRelay, type RelayProcess } from './helpers/relay.js';
import { simDevice, synced, waitFor, waitStatus, type SimDevice } from './helpers/devices.js';
import { acceptInvitation, addSecondAccount } from './helpers/second-account.js';
import type { VaultApi } from '../../../core/vault-api.js';

let relay: RelayProcess;
let owner: VaultApi, member: VaultApi;
let memberDev: SimDevice;
let share: string;

async function readAll(s: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  const r = s.getReader();
  for (;;) { const { done, value } = await r.read(); if (done) break; parts.push(value); }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

beforeAll(async () => {
  if (!relayAvailable) return;
  relay = await startRelay();
  owner = (await simDevice('und-owner').launcher.createTeam({ displayName: 'Owner', teamName: 'Firm', relayUrl: relay.url, password: 'owner pw', deviceName: 'owner' })).vault;
  share = (await owner.createShare('Projekt')).id;
  await synced(owner);
  memberDev = simDevice('und-member');
  await addSecondAccount(owner, share, memberDev, 'member pw');
  member = await memberDev.launcher.unlock('member pw');
  await acceptInvitation(member, share);
});

afterAll(async () => {
  for (const v of [owner, member]) await v?.lock().catch(() => undefined);
  await relay?.stop();
});

describe.skipIf(!relayAvailable)('changes of a member who lost access', () => {
  it('are reported as not delivered, leave the pending count, and can be exported', async () => {
    const item = await owner.saveNote(share, { title: 'Plan', body: 'Stand 1', tags: [] });
    await waitFor(member, async () => ((await member.readNote(share, item).catch(() => null))?.body === 'Stand 1' ? true : undefined), 'member has the note');
    memberDev.offline = true;
    memberDev.dropConnections();
    await member.saveNote(share, { title: 'Plan', body: 'Stand 2 vom Mitglied, offline', tags: [] }, item);
    await member.saveNote(share, { title: 'Neu offline', body: 'ganz neue Notiz', tags: [] });
    await waitStatus(member, (s) => s.pending === 2, 'two changes waiting');
    const account = (await owner.members(share)).find((m) => m.role === 'editor')!.account;
    await owner.blockMember(share, account);
    memberDev.offline = false;

    const told = await waitStatus(member, (s) => s.lastError?.code === 'NOT_DELIVERED' && s.lastError.count === 2 && s.pending === 0, 'told: not delivered', 60_000);
    expect(told.lastError).toMatchObject({ code: 'NOT_DELIVERED', count: 2 });
    const zip = unzipSync(await readAll(member.exportUndelivered()));
    expect(Object.keys(zip).sort()).toEqual(['Neu offline.md', 'Plan.md']);
    expect(strFromU8(zip['Plan.md']!)).toBe('# Plan\n\nStand 2 vom Mitglied, offline\n');
    expect(strFromU8(zip['Neu offline.md']!)).toBe('# Neu offline\n\nganz neue Notiz\n');
    expect((await owner.readNote(share, item)).body).toBe('Stand 1');
    expect((await owner.listItems(share)).map((i) => i.title)).toEqual(['Plan']);
  });
});

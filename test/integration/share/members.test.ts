/**
 * R2 against the real relay: a share with A (owner), B and C; A blocks B. A and C keep
 * working (edits still sync between them); B's sessions are cut and it is refused
 * (MEMBER_BLOCKED); nothing written after the block opens with anything B holds. Also
 * addMember/setRole through the facade, fingerprints, and the activity list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relayAvailable, startRelay, type RelayProcess } from '../sync/helpers/relay.js';
import { acceptInvitation, addSecondAccount } from '../sync/helpers/second-account.js';
import { simDevice } from '../sync/helpers/devices.js';
import { sessionOf } from '../../../core/vault/api.js';
import { openNote } from '../../../core/model/note.js';
import type { ShareId } from '../../../core/ids.js';
import type { VaultApi } from '../../../core/vault-api.js';
import { codeOf, lockAll, shareDevice, synced, waitFor, waitStatus } from './helpers.js';

let relay: RelayProcess;
let a: VaultApi;
let b: VaultApi;
let c: VaultApi;
let share: string;
let bId: string;
let cId: string;

beforeAll(async () => {
  if (!relayAvailable) return;
  relay = await startRelay();
  a = (await shareDevice('r2-a').launcher.createTeam({ displayName: 'Owner', teamName: 'Firm', relayUrl: relay.url, password: 'pw a', deviceName: 'a' })).vault;
  share = (await a.createShare('Kanzlei')).id;
  await a.saveNote(share, { title: 'alt', body: 'before block', tags: [] });
  await synced(a);
  const bd = simDevice('r2-b');
  const cd = simDevice('r2-c');
  bId = (await addSecondAccount(a, share, bd, 'pw b', 'editor')).account;
  cId = (await addSecondAccount(a, share, cd, 'pw c', 'editor')).account;
  b = await bd.launcher.unlock('pw b');
  c = await cd.launcher.unlock('pw c');
  for (const v of [b, c]) await waitFor(v, async () => ((await v.listItems(share)).length === 1 ? true : undefined), 'member sees the note');
});
afterAll(async () => {
  await lockAll(a, b, c);
  await relay?.stop();
});

describe.skipIf(!relayAvailable)('members (R2)', () => {
  it('members() lists roles and stable 60-digit fingerprints; setRole changes a role', async () => {
    const ms = await a.members(share);
    expect(ms.map((m) => m.role).sort()).toEqual(['editor', 'editor', 'owner']);
    for (const m of ms) expect(m.fingerprint).toMatch(/^(\d{5} ){11}\d{5}$/);
    const fromC = await c.members(share);
    expect(fromC.map((m) => m.fingerprint).sort()).toEqual(ms.map((m) => m.fingerprint).sort()); // same keys everywhere
    await a.setRole(share, cId, 'admin');
    expect((await a.members(share)).find((m) => m.account === cId)?.role).toBe('admin');
    await a.setRole(share, cId, 'editor');
    expect(await codeOf(c.setRole(share, bId, 'viewer'))).toBe('NOT_ALLOWED'); // an editor may not
  });

  it('block B: A and C keep syncing; B is refused (MEMBER_BLOCKED) and cannot decrypt new items', async () => {
    const bLost = waitStatus(b, (st) => st.lastError?.code === 'MEMBER_BLOCKED', 'B sees MEMBER_BLOCKED', 10_000);
    expect(await a.blockMember(share, bId)).toEqual({ rotatedCodes: [] }); // an editor held no code
    await bLost;
    expect((await a.members(share)).find((m) => m.account === bId)?.blocked).toBe(true);
    expect((await a.listShares())[0]!.epoch).toBe(1);

    // A and C keep working, both directions
    const n1 = await a.saveNote(share, { title: 'neu von A', body: 'after block (A)', tags: [] });
    await synced(a);
    await waitFor(c, async () => ((await c.listItems(share)).some((i) => i.id === n1) ? true : undefined), 'C sees A\'s new note');
    expect((await c.readNote(share, n1)).body).toBe('after block (A)');
    const n2 = await c.saveNote(share, { title: 'neu von C', body: 'after block (C)', tags: [] });
    await synced(c);
    await waitFor(a, async () => ((await a.listItems(share)).some((i) => i.id === n2) ? true : undefined), 'A sees C\'s new note');

    // B: the relay refuses the share, and B holds no key for the new epoch
    const bs = sessionOf(b);
    expect(await codeOf(bs.conn.request({ type: 'pull', share, since: 0 }))).toMatch(/^(NOT_FOUND|MEMBER_BLOCKED|RELAY_UNREACHABLE)$/);
    expect(await codeOf(bs.keyring.keysFor(share as ShareId, 1))).toBe('WRONG_KEY');
    const rec = await sessionOf(a).store.getRecord(share as ShareId, n1 as never);
    expect(rec!.envelope.epoch).toBe(1);
    expect(await codeOf(openNote(bs.openCtx(share as ShareId), rec!.envelope))).toBe('WRONG_KEY');
    // ... and nothing B signs for the new epoch is accepted by the others
    expect(await codeOf(bs.verifyEnvelope(share as ShareId, { ...rec!.envelope, author: { kind: 'account', id: bId } }))).toMatch(/^(BAD_SIGNATURE|NOT_ALLOWED)$/);
  });

  it('activity shows the signed log, oldest first', async () => {
    const act = await a.activity(share);
    expect(act.map((e) => e.what)).toEqual(['created', 'member-added', 'member-added', 'role-changed', 'role-changed', 'member-blocked']);
    // data, not words: who (isMe), to whom, the new epoch; the renderer says "you"/"Sie"
    const aAccount = sessionOf(a).keys.account;
    expect(act.at(-1)).toMatchObject({ by: { kind: 'account', id: aAccount, isMe: true }, member: { kind: 'account', isMe: false }, epoch: 1 });
    expect(act.at(-2)).toMatchObject({ what: 'role-changed', role: expect.stringMatching(/^(admin|editor|viewer)$/) });
    expect(JSON.stringify(act)).not.toMatch(/"you"|epoch \d/);
  });

  it('addMember adds an existing team account with its keys from account.list; an admin cannot block the owner', async () => {
    const share2 = (await a.createShare('Zweite')).id;
    await synced(a);
    await a.addMember(share2, cId, 'admin');
    await acceptInvitation(c, share2);
    await waitFor(c, async () => ((await c.listShares()).some((s) => s.id === share2) ? true : undefined), 'C has the second share');
    expect((await c.listShares()).find((s) => s.id === share2)?.myRole).toBe('admin');
    expect(await codeOf(c.blockMember(share2, sessionOf(a).keys.account))).toBe('NOT_ALLOWED');
    expect(await codeOf(a.addMember(share2, cId, 'viewer'))).toBe('NOT_ALLOWED'); // already a member
  });

  it('blocking an admin rotates the codes they knew (created, or hold the wrap key of); other codes and guests keep working', async () => {
    const share3 = (await a.createShare('Dritte')).id;
    await synced(a);
    const before = await a.createAccessCode(share3, { label: 'vor C', readOnly: true, expiresAt: null }); // C not a member yet: C never saw it
    await a.addMember(share3, cId, 'admin');
    await acceptInvitation(c, share3);
    await waitFor(c, async () => ((await c.listShares()).some((s) => s.id === share3) ? true : undefined), 'C has the third share');
    const byC = await c.createAccessCode(share3, { label: 'von C', readOnly: false, expiresAt: null });
    const g = await shareDevice('r2-guest-before').launcher.joinWithCode({ link: before.link });
    const { rotatedCodes } = await a.blockMember(share3, cId);
    expect(rotatedCodes.map((r) => r.info.label)).toEqual(['von C']);
    expect(rotatedCodes[0]!.info).toMatchObject({ readOnly: false, live: true });
    const codes = await a.accessCodes(share3);
    expect(codes.find((x) => x.id === byC.info.id)?.live).toBe(false);
    expect(codes.find((x) => x.id === before.info.id)?.live).toBe(true);
    // the code C made no longer opens the share; its replacement does; the other guest reads on
    expect(await codeOf(shareDevice('r2-guest-old').launcher.joinWithCode({ link: byC.link }))).toMatch(/^(NOT_ALLOWED|CODE_ROTATED)$/);
    const n = await a.saveNote(share3, { title: 'nach der Sperre', body: 'nur für Gäste mit neuem Code', tags: [] });
    await synced(a);
    const g2 = await shareDevice('r2-guest-new').launcher.joinWithCode({ link: rotatedCodes[0]!.link });
    expect((await waitFor(g2, async () => (await g2.listItems(share3)).find((i) => i.id === n), 'new guest sees the note')).title).toBe('nach der Sperre');
    expect((await waitFor(g, async () => (await g.listItems(share3)).find((i) => i.id === n), 'earlier guest still reads')).title).toBe('nach der Sperre');
    await lockAll(g, g2);
  });
});

/**
 * R1 against the real relay process: an owner makes access code C1, a guest joins with it and
 * reads; the owner rotates to C2: the guest's live session is closed (CODE_ROTATED, content
 * dropped), C1 cannot connect any more, an item written after the rotation does not open with
 * anything derived from C1, and a guest with C2 reads everything. Also: expired and read-only
 * codes, and a read-write guest whose records members accept.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relayAvailable, startRelay, type RelayProcess } from '../sync/helpers/relay.js';
import { sessionOf } from '../../../core/vault/api.js';
import { deriveCodeKeys, parseAccessCode, parseJoinLink } from '../../../core/model/access-code.js';
import { unwrapShareKeyForCode } from '../../../core/model/share-keys.js';
import { openNote } from '../../../core/model/note.js';
import { TEST_KDF_COST } from '../../../core/crypto/kdf.js';
import { fromB64url } from '../../../core/encoding.js';
import type { ShareId } from '../../../core/ids.js';
import type { ShareKey } from '../../../core/crypto/key-types.js';
import type { SyncStatus, VaultApi } from '../../../core/vault-api.js';
import { codeOf, lockAll, relayQuery, shareDevice, synced, waitFor, waitStatus } from './helpers.js';

let relay: RelayProcess;
let owner: VaultApi;
let share: string;
const PW = 'owner password for codes';

beforeAll(async () => {
  if (!relayAvailable) return;
  relay = await startRelay();
  owner = (await shareDevice('codes-owner').launcher.createTeam({ displayName: 'Owner', teamName: 'Firm', relayUrl: relay.url, password: PW, deviceName: 'o' })).vault;
  share = (await owner.createShare('Mandant Müller')).id;
  await owner.saveNote(share, { title: 'Vertrag', body: 'before rotation', tags: [] });
  await synced(owner);
});
afterAll(async () => {
  await lockAll(owner);
  await relay?.stop();
});

describe.skipIf(!relayAvailable)('access codes (R1)', () => {
  it('guest joins with C1 and reads; rotation to C2 cuts it; C1 is useless afterwards; C2 reads everything', async () => {
    const c1 = await owner.createAccessCode(share, { label: 'Auditor', readOnly: true, expiresAt: null });
    expect(c1.code).toMatch(/^([0-9A-Z]{4}-){6}[0-9A-Z]{4}$/);
    expect(c1.link).toMatch(/^truhe:\/\/join\?/);
    expect((await owner.accessCodes(share)).find((c) => c.id === c1.info.id)).toMatchObject({ label: 'Auditor', readOnly: true, live: true });

    const gdev = shareDevice('guest-c1');
    const guest = await gdev.launcher.joinWithCode({ link: c1.link });
    const shares = await guest.listShares();
    expect(shares).toEqual([expect.objectContaining({ id: share, name: 'Mandant Müller', myRole: 'guest-read' })]);
    const items = await guest.listItems(share);
    expect(items.map((i) => i.title)).toEqual(['Vertrag']);
    expect((await guest.readNote(share, items[0]!.id)).body).toBe('before rotation');

    // rotate: the live guest session must be closed by the relay (4002) within 1 s
    let last: SyncStatus | undefined;
    guest.onStatus((s) => { last = s; });
    const closed = waitStatus(guest, (s) => s.lastError?.code === 'CODE_ROTATED', 'guest sees CODE_ROTATED', 5_000);
    const t0 = performance.now();
    const c2 = await owner.rotateAccessCode(share, c1.info.id);
    await closed;
    const close = gdev.closes.find((c) => c.code === 4002);
    expect(close).toBeDefined();
    const ms = close!.at - t0;
    console.log(`R1: old guest session closed ${ms.toFixed(1)} ms after rotateAccessCode started`);
    expect(ms).toBeLessThan(1000);
    expect(last?.lastError?.code).toBe('CODE_ROTATED');
    // the guest's vault dropped its content
    expect(await codeOf(guest.listItems(share))).toBe('LOCKED');

    // C1 cannot connect any more
    expect(await codeOf(shareDevice('guest-c1-again').launcher.joinWithCode({ link: c1.link }))).toMatch(/^(NOT_ALLOWED|CODE_ROTATED)$/);

    // an item written after the rotation does not open with anything derived from C1
    const after = await owner.saveNote(share, { title: 'Neu', body: 'after rotation', tags: [] });
    await synced(owner);
    const s = sessionOf(owner);
    const st = await s.syncLog(share as ShareId);
    expect(st.epoch).toBe(1);
    const j1 = parseJoinLink(c1.link);
    const k1 = deriveCodeKeys(j1.team, j1.code, TEST_KDF_COST);
    const wraps = relayQuery<{ epoch: number; to_kind: string; to_id: string; wrapped: string }>(relay.dataDir, 'SELECT epoch, to_kind, to_id, wrapped FROM wraps WHERE share = ?', share)
      .map((w) => ({ epoch: w.epoch, to: { kind: w.to_kind, id: w.to_id }, wrapped: w.wrapped }));
    expect(wraps.filter((w) => w.epoch === 1 && w.to.kind === 'code' && w.to.id === c1.info.id)).toEqual([]);
    const newCodeWrap = wraps.find((w) => w.epoch === 1 && w.to.kind === 'code' && w.to.id === c2.info.id);
    expect(newCodeWrap).toBeDefined();
    // the C1 wrap key against the new epoch's code wrap (under either code id): WRONG_KEY
    for (const id of [c1.info.id, c2.info.id]) {
      expect(() => unwrapShareKeyForCode(fromB64url(newCodeWrap!.wrapped), k1.wrapKey, j1.team, share as ShareId, 1, id as never)).toThrow(expect.objectContaining({ code: 'WRONG_KEY' }));
    }
    // the epoch-0 key C1 held does not open the new item (TAMPERED / WRONG_KEY)
    const c1Wrap0 = wraps.find((w) => w.epoch === 0 && w.to.kind === 'code' && w.to.id === c1.info.id);
    const oldKey = c1Wrap0 ? unwrapShareKeyForCode(fromB64url(c1Wrap0.wrapped), k1.wrapKey, j1.team, share as ShareId, 0, c1.info.id as never) : new Uint8Array(32);
    const rec = await s.store.getRecord(share as ShareId, after as never);
    expect(rec!.envelope.epoch).toBe(1);
    const ctx = { team: s.team, share: share as ShareId, shareKeyFor: async () => oldKey as ShareKey, resolveAuthorKey: s.resolveAuthorKeyFor(share as ShareId) };
    expect(await codeOf(openNote(ctx, { ...rec!.envelope, epoch: 0 }))).toMatch(/^(TAMPERED|WRONG_KEY|BAD_SIGNATURE)$/);
    expect(await codeOf(openNote(ctx, rec!.envelope))).toMatch(/^(TAMPERED|WRONG_KEY)$/);

    // C2 (typed form + relay + team) reads everything
    const guest2 = await shareDevice('guest-c2').launcher.joinWithCode({ relayUrl: relay.url, team: s.team, code: c2.code });
    const titles = (await guest2.listItems(share)).map((i) => i.title).sort();
    expect(titles).toEqual(['Neu', 'Vertrag']);
    expect((await guest2.readNote(share, after)).body).toBe('after rotation');
    expect(parseAccessCode(c2.code, s.team).id).toBe(c2.info.id);
    await lockAll(guest, guest2);
  });

  it('an expired code is refused (CODE_EXPIRED)', async () => {
    const soon = Date.now() + 1500;
    const c = await owner.createAccessCode(share, { label: 'kurz', readOnly: true, expiresAt: soon });
    const g = await shareDevice('guest-expiring').launcher.joinWithCode({ link: c.link });
    await waitStatus(g, (st) => st.lastError?.code === 'CODE_EXPIRED', 'live session closed at expiry', 10_000);
    expect(await codeOf(shareDevice('guest-expired').launcher.joinWithCode({ link: c.link }))).toBe('CODE_EXPIRED');
    expect((await owner.accessCodes(share)).find((x) => x.id === c.info.id)?.live).toBe(false);
    await lockAll(g);
  });

  it('a read-only code never writes: READ_ONLY client-side, and the relay refuses a forced push', async () => {
    const c = await owner.createAccessCode(share, { label: 'lesen', readOnly: true, expiresAt: null });
    const g = await shareDevice('guest-ro').launcher.joinWithCode({ link: c.link });
    expect(await codeOf(g.saveNote(share, { title: 'x', body: 'y', tags: [] }))).toBe('READ_ONLY');
    const items = await g.listItems(share);
    expect(await codeOf(g.deleteItem(share, items[0]!.id))).toBe('READ_ONLY');
    // forced: the relay itself refuses a push from the read-only code session
    const gs = sessionOf(g as never);
    expect(await codeOf(gs.conn.request({ type: 'push', share, records: [] }))).toMatch(/^(READ_ONLY|BAD_FORMAT)$/);
    await lockAll(g);
  });

  it('a read-write guest writes; members accept its record (signed by the code key)', async () => {
    const c = await owner.createAccessCode(share, { label: 'schreiben', readOnly: false, expiresAt: null });
    const g = await shareDevice('guest-rw').launcher.joinWithCode({ link: c.link });
    expect((await g.listShares())[0]!.myRole).toBe('guest-write');
    const id = await g.saveNote(share, { title: 'vom Gast', body: 'guest text', tags: [] });
    await synced(g);
    const seen = await waitFor(owner, async () => (await owner.listItems(share)).find((i) => i.id === id), 'owner sees guest note');
    expect(seen.title).toBe('vom Gast');
    expect((await owner.readNote(share, id)).body).toBe('guest text');
    await lockAll(g);
  });
});

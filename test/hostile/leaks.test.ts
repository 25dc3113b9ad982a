/**
 * What reaches the relay. Every frame of a full session passes the MITM proxy and is kept:
 * create a team, a share, notes, a file, an access code and a member joining with it, a key
 * rotation (new epoch) and re-encryption of a note under it, a delete. Then every frame is
 * searched — raw bytes, the UTF-8 text, every base64url/base64 token decoded, hex — for every
 * secret the session made: the password and password key, the unlock key, the auth secret, the
 * Secret Key, every 32-byte random value the CSPRNG produced (share keys, item keys, account and
 * device key seeds) and every file key derived from an item key, the access-code secret (raw and
 * base32) and its derived wrap key and verifier secret. None may appear (no key escrow, no
 * code or link secret leaked to the server).
 *
 * Also the nonce source: every AEAD nonce and STREAM prefix comes from crypto.getRandomValues,
 * fresh per call, and a large sample holds no repeat.
 *
 * Rotation and codes are driven at the model/protocol layer (core/model, core/vault/membership,
 * the session's connection) because core/share/ is not in the facade yet; the frames are the
 * ones the client core itself sends.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { relayAvailable } from '../integration/sync/helpers/relay.js';
import { synced, waitFor } from '../integration/sync/helpers/devices.js';
import { deriveInviteKeys, parseInviteLink } from '../../core/model/team-invite.js';
import { sessionOf } from '../../core/vault/api.js';
import { ready } from '../../core/crypto/sodium.js';
import { aeadSeal } from '../../core/crypto/aead.js';
import { newStreamHeader } from '../../core/crypto/stream.js';
import { randomKey } from '../../core/crypto/keys.js';
import { deriveSubkey, deriveUnlockKey, passwordKey, TEST_KDF_COST, TEST_KDF_FLOOR } from '../../core/crypto/kdf.js';
import { authKeyPair } from '../../core/model/account.js';
import { deriveCodeKeys, formatAccessCode } from '../../core/model/access-code.js';
import { parseSecretKey } from '../../core/model/secret-key.js';
import { keyCommit, newShareKey, wrapShareKeyForMember } from '../../core/model/share-keys.js';
import { nextEntry } from '../../core/vault/membership.js';
import { fromB64url, toB64url, toBase32, utf8 } from '../../core/encoding.js';
import type { BoxPublicKey, FileKey, SymmetricKey } from '../../core/crypto/key-types.js';
import type { CodeId, ShareId } from '../../core/ids.js';
import type { VaultApi } from '../../core/vault-api.js';
import { HostileRelay } from './harness.js';
import { device } from './util.js';

/** The CSPRNG, replaceable in this file only (the production module has no test switch). */
const rnd = vi.hoisted(() => ({ source: null as null | ((n: number) => Uint8Array) }));
vi.mock('../../core/crypto/random.js', async (orig) => {
  const real = await orig<typeof import('../../core/crypto/random.js')>();
  return { ...real, randomBytes: (n: number) => (rnd.source ? rnd.source(n) : real.randomBytes(n)) };
});
const __setRandomSourceForTests = (fn: ((n: number) => Uint8Array) | null) => { rnd.source = fn; };


const PW = 'escrow check password 42';
const PW2 = 'member two password 42';

/** Every haystack of a frame: raw bytes, UTF-8 text, and each decoded base64url/base64/hex token. */
function haystacks(data: string | Uint8Array): Buffer[] {
  if (typeof data !== 'string') return [Buffer.from(data)];
  const out = [Buffer.from(data, 'utf8')];
  for (const m of data.matchAll(/[A-Za-z0-9_-]{16,}/g)) out.push(Buffer.from(m[0], 'base64url'));
  for (const m of data.matchAll(/[A-Za-z0-9+/]{16,}={0,2}/g)) out.push(Buffer.from(m[0], 'base64'));
  for (const m of data.matchAll(/[0-9a-fA-F]{32,}/g)) out.push(Buffer.from(m[0].slice(0, m[0].length & ~1), 'hex'));
  return out;
}

describe.skipIf(!relayAvailable)('no key escrow, no code secret to the relay (full session captured)', () => {
  let h: HostileRelay;
  const randoms = new Map<number, Uint8Array[]>();
  let owner: VaultApi;
  let member: VaultApi;
  const secrets: { what: string; bytes: Uint8Array }[] = [];
  const texts: { what: string; text: string }[] = [];

  beforeAll(async () => {
    await ready();
    // Record what the CSPRNG hands out (copies: keys are wiped after use).
    const real = (n: number) => { const b = new Uint8Array(n); for (let o = 0; o < n; o += 65536) crypto.getRandomValues(b.subarray(o, Math.min(n, o + 65536))); return b; };
    __setRandomSourceForTests((n) => {
      const b = real(n);
      if (n === 32 || n === 13 || n === 16 || n === 3) { const l = randoms.get(n) ?? []; l.push(b.slice()); randoms.set(n, l); }
      return b;
    });
    h = await HostileRelay.start();
    const created = await device('escrow').launcher.createTeam({ displayName: 'Owner', teamName: 'Firm', relayUrl: h.url, password: PW, deviceName: 'laptop' });
    owner = created.vault;
    const s = sessionOf(owner);
    const share = (await owner.createShare('Steuer 2026')).id as ShareId;
    const n1 = await owner.saveNote(share, { title: 'Mandant', body: 'Umsatz 1.234.567 €', tags: ['steuer'] });
    const bytes = new Uint8Array(1_500_000).map((_, i) => (i * 7) & 255);
    await owner.importFile(share, { name: 'bilanz.xlsx', type: 'application/vnd.ms-excel', size: bytes.length, stream: () => new Blob([bytes]).stream() });
    await synced(owner);
    // an access code, and a colleague joining with a team invitation (invite, team.join, join + wraps, add)
    await owner.createAccessCode(share, { label: 'Prüfer', readOnly: true, expiresAt: null });
    const memberDev = device('escrow-member');
    const inv = await owner.inviteColleague({ role: 'member', expiresInHours: 1, label: 'Kollegin' });
    const joined = await memberDev.launcher.joinTeam({ link: inv.link, password: PW2, displayName: 'Kollegin', deviceName: 'm' });
    await waitFor(joined.vault, async () => ((await joined.vault.team()).myRole ? true : undefined), 'join confirmed');
    await owner.addMember(share, joined.kit.accountId, 'editor');
    await joined.vault.lock();
    member = await memberDev.launcher.unlock(PW2);
    const invite = parseInviteLink(inv.link).invite;
    const ik = deriveInviteKeys(s.team, invite);
    secrets.push({ what: 'invitation secret', bytes: invite.secret.slice() }, { what: 'invitation verifier secret', bytes: ik.verifier.secretKey.slice(0, 32) },
      { what: 'invitation MAC key', bytes: ik.mac.slice() }, { what: 'invitation card key', bytes: ik.card.slice() }, { what: 'invitation name key', bytes: ik.name.slice() });
    texts.push({ what: 'invitation secret (base32)', text: toBase32(invite.secret) }, { what: 'invitation code', text: inv.code.replace(/^TRI-/, '') });
    // rotation: new epoch key, committed in the log, wrapped for every member; then re-encrypt n1
    const state = await s.syncLog(share);
    const key = newShareKey();
    const epoch = state.epoch + 1;
    const entry = nextEntry(share, state, s.keys.account, { t: 'epoch', epoch, keyCommit: toB64url(keyCommit(key, s.team, share, epoch)) }, Date.now(), s.keys.sign.secretKey);
    const wraps = [...state.members.values()].map((m) => ({ epoch, to: { kind: 'account', id: m.account }, wrapped: toB64url(wrapShareKeyForMember(key, fromB64url(m.boxPk) as BoxPublicKey)) }));
    await s.conn.request({ type: 'log.append', share, entries: [entry], wraps });
    await s.syncLog(share);
    await owner.saveNote(share, { title: 'Mandant', body: 'Umsatz 1.234.567 € (neu verschlüsselt)', tags: ['steuer'] }, n1);
    const n2 = await member.saveNote(share, { title: 'Rückfrage', body: 'vom Mitglied', tags: [] });
    await synced(member);
    await waitFor(owner, async () => ((await owner.listItems(share)).some((i) => i.id === n2) ? true : undefined), 'owner sees the member note');
    await owner.deleteItem(share, n2);
    await synced(owner);

    // ---- the secrets of this session ----
    const kdfs = h.frames('up').flatMap((f) => (f.msg?.type === 'team.create' ? [f.msg.account.kdf] : f.msg?.type === 'team.join' ? [f.msg.account.kdf] : []));
    expect(kdfs.length).toBe(2);
    const sk = parseSecretKey(created.kit.secretKey);
    secrets.push({ what: 'Secret Key', bytes: sk.slice() });
    for (const [pw, kdf, i] of [[PW, kdfs[0], 0], [PW2, kdfs[1], 1]] as const) {
      secrets.push({ what: `password ${i}`, bytes: utf8(pw) });
      texts.push({ what: `password ${i}`, text: pw });
      secrets.push({ what: `password key ${i}`, bytes: passwordKey(pw, kdf, TEST_KDF_FLOOR) });
    }
    const unlock = deriveUnlockKey(PW, sk, kdfs[0], TEST_KDF_FLOOR);
    secrets.push({ what: 'unlock key', bytes: unlock }, { what: 'auth secret key', bytes: authKeyPair(unlock).secretKey.slice(0, 32) });
    for (const r of randoms.get(32) ?? []) {
      secrets.push({ what: '32-byte CSPRNG value (key or seed)', bytes: r });
      secrets.push({ what: 'file key derived from an item key', bytes: deriveSubkey<FileKey>(r as SymmetricKey, 'file-stream') });
    }
    const codeIds = h.frames('up').flatMap((f) => (f.msg?.type === 'log.append' ? f.msg.entries : [])).filter((e: Record<string, any>) => e.op.t === 'code.create').map((e: Record<string, any>) => e.op.code as CodeId);
    expect(codeIds.length).toBe(1);
    for (const secret of randoms.get(13) ?? []) {
      secrets.push({ what: 'access-code secret', bytes: secret });
      texts.push({ what: 'access-code secret (base32)', text: toBase32(secret) });
      // the typed (read-aloud) form: tag ‖ secret, whose base32 does not contain toBase32(secret)
      expect(randoms.get(3)?.length, 'the code tag was captured').toBeGreaterThan(0);
      for (const tag of randoms.get(3) ?? []) texts.push({ what: 'typed access code', text: formatAccessCode({ id: codeIds[0]!, secret, tag }).replace(/-/g, '') });
      const ck = deriveCodeKeys(s.team, { id: codeIds[0]!, secret }, TEST_KDF_COST);
      secrets.push({ what: 'code wrap key', bytes: ck.wrapKey.slice() }, { what: 'code verifier secret', bytes: ck.verifier.secretKey.slice(0, 32) });
    }
  });
  afterAll(async () => {
    __setRandomSourceForTests(null);
    await member?.lock().catch(() => undefined);
    await owner?.lock().catch(() => undefined);
    await h?.stop();
  });

  it('the capture covers the whole session (every kind of request was seen)', () => {
    const types = new Set(h.frames('up').map((f) => f.msg?.type ?? 'binary'));
    for (const t of ['team.create', 'share.create', 'push', 'binary', 'log.append', 'team.join', 'roster.append', 'auth', 'keys.get', 'pull']) expect(types, t).toContain(t);
    expect((randoms.get(32) ?? []).length).toBeGreaterThan(10);
    expect((randoms.get(13) ?? []).length).toBe(1);
    console.log(`escrow scan: ${h.captured.length} frames, ${secrets.length} secrets, ${texts.length} text forms`);
  });

  it('no secret appears in any frame, in either direction, raw or encoded', () => {
    const found: string[] = [];
    for (const c of h.captured) {
      const hay = haystacks(c.data);
      for (const s of secrets) if (hay.some((b) => b.indexOf(Buffer.from(s.bytes)) >= 0)) found.push(`${s.what} in a ${c.dir} frame`);
      if (typeof c.data === 'string') for (const t of texts) if (c.data.includes(t.text)) found.push(`${t.what} in a ${c.dir} frame`);
    }
    expect(found).toEqual([]);
  });

  it('the scan is able to fail: a public value and a planted secret are found', () => {
    const pub = h.frames('up').find((f) => f.msg?.type === 'share.create')!.msg!.entry.op.signPk as string;
    const hay = h.captured.flatMap((c) => haystacks(c.data));
    expect(hay.some((b) => b.indexOf(Buffer.from(fromB64url(pub))) >= 0)).toBe(true);
    const planted = secrets.find((s) => s.what === 'unlock key')!.bytes;
    const fake = `{"x":"${toB64url(new Uint8Array([1, 2, 3, ...planted]))}"}`;
    expect(haystacks(fake).some((b) => b.indexOf(Buffer.from(planted)) >= 0)).toBe(true);
  });
});

describe('nonce source: random, platform CSPRNG, never repeated', () => {
  beforeAll(async () => { await ready(); });

  it('aeadSeal draws each 24-byte nonce from crypto.getRandomValues and puts it in front of the ciphertext', () => {
    const spy = vi.spyOn(globalThis.crypto, 'getRandomValues');
    try {
      const key = randomKey<SymmetricKey>();
      spy.mockClear();
      const sealed = aeadSeal(key, utf8('x'), new Uint8Array(0));
      const nonceCalls = spy.mock.calls.filter(([a]) => (a as Uint8Array).length === 24);
      expect(nonceCalls.length).toBe(1);
      expect(Buffer.from(sealed.subarray(0, 24)).equals(Buffer.from(nonceCalls[0]![0] as Uint8Array))).toBe(true);
    } finally {
      spy.mockRestore();
    }
  });

  it('20 000 nonces under one key are all distinct; two seals of the same plaintext differ', () => {
    const key = randomKey<SymmetricKey>();
    const seen = new Set<string>();
    for (let i = 0; i < 20_000; i++) seen.add(Buffer.from(aeadSeal(key, new Uint8Array(0), new Uint8Array(0)).subarray(0, 24)).toString('hex'));
    expect(seen.size).toBe(20_000);
    const a = aeadSeal(key, utf8('same'), new Uint8Array(0));
    const b = aeadSeal(key, utf8('same'), new Uint8Array(0));
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
  });

  it('STREAM prefix: 2 000 headers under one file key, all prefixes distinct (19 random bytes each)', () => {
    const key = randomKey<FileKey>();
    const seen = new Set<string>();
    for (let i = 0; i < 2_000; i++) seen.add(Buffer.from(newStreamHeader(key).prefix).toString('hex'));
    expect(seen.size).toBe(2_000);
  });
});

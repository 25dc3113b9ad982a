/**
 * Hostile relay, attack classes on stored content: unauthenticated encryption (any byte of a
 * served record flipped), tampering with names/location/metadata (fields swapped between items,
 * a record moved to another share, the chunk list shortened), unauthenticated chunking (chunks
 * of a served file dropped, reordered, duplicated, truncated), file injection (a record the
 * members never wrote, inserted straight into the relay's SQLite), share injection, and
 * replay of an old version. Each: a specific VaultError code, nothing of the forgery stored or
 * shown, the genuine data intact.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relayAvailable } from '../integration/sync/helpers/relay.js';
import { synced, waitFor, type SimDevice } from '../integration/sync/helpers/devices.js';
import { sessionOf } from '../../core/vault/api.js';
import { ready } from '../../core/crypto/sodium.js';
import { newSignKeyPair } from '../../core/crypto/keys.js';
import { newShareKey, wrapShareKeyForMember, keyCommit } from '../../core/model/share-keys.js';
import { sealNote } from '../../core/model/note.js';
import { parseRecordEnvelope } from '../../core/model/record.js';
import { nextEntry } from '../../core/vault/membership.js';
import { canonicalJson } from '../../core/canonical.js';
import { fromB64url, toB64url } from '../../core/encoding.js';
import { newId, type ItemId, type ShareId, type TeamId } from '../../core/ids.js';
import type { BoxPublicKey } from '../../core/crypto/key-types.js';
import type { EmergencyKit, VaultApi } from '../../core/vault-api.js';
import type { VaultErrorCode } from '../../core/errors.js';
import { HostileRelay, joinFrame, RequestTracker, rewriteJson, splitFrame, type Hook } from './harness.js';
import { codeOf, device, until } from './util.js';

const PW = 'hostile records password';
let h: HostileRelay;
let owner: VaultApi;
let kit: EmergencyKit;
let s1: string, s2: string;
let a: string, b: string, c: string, inS2: string, file: string;
const fileBytes = new Uint8Array(2 * 1024 * 1024 + 300_000).map((_, i) => (i * 31 + (i >> 11)) & 255);

/**
 * Changes one base64url character, never the last one (whose low bits may be padding that
 * decodes to the same bytes): the decoded bytes always differ.
 */
function flipChar(s: string, seed: number): string {
  const i = Math.floor(seed) % (s.length - 1);
  const alpha = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  return s.slice(0, i) + alpha[(alpha.indexOf(s[i]!) + 1) % 64] + s.slice(i + 1);
}

/** A fresh device signed in through the proxy while `hooks` are active; resolves once it has pulled `mustHave`. */
async function freshDevice(tag: string, hooks: Hook[], mustHave: [string, string]): Promise<{ v: VaultApi; dev: SimDevice; errors: VaultErrorCode[] }> {
  h.hooks = hooks;
  const dev = device(tag);
  const v = await dev.launcher.signInNewDevice({ kit, password: PW, deviceName: tag });
  const errors: VaultErrorCode[] = [];
  v.onStatus((s) => { if (s.lastError && errors.at(-1) !== s.lastError.code) errors.push(s.lastError.code); });
  await waitFor(v, async () => ((await v.listItems(mustHave[0])).some((i) => i.id === mustHave[1]) ? true : undefined), `${tag}: genuine item pulled`);
  return { v, dev, errors };
}

async function storedIds(dev: SimDevice, share: string, ids: string[]): Promise<string[]> {
  const st = dev.openStore();
  const out: string[] = [];
  for (const id of ids) if (await st.getRecord(share as ShareId, id as ItemId)) out.push(id);
  await st.close();
  return out;
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  const r = stream.getReader();
  for (;;) {
    const { done, value } = await r.read();
    if (done) break;
    parts.push(value);
  }
  return Buffer.concat(parts);
}

beforeAll(async () => {
  if (!relayAvailable) return;
  await ready();
  h = await HostileRelay.start();
  const created = await device('owner').launcher.createTeam({ displayName: 'Owner', teamName: 'Firm', relayUrl: h.url, password: PW, deviceName: 'owner' });
  owner = created.vault;
  kit = created.kit;
  s1 = (await owner.createShare('Eins')).id;
  s2 = (await owner.createShare('Zwei')).id;
  a = await owner.saveNote(s1, { title: 'A', body: 'a v1', tags: [] });
  await owner.saveNote(s1, { title: 'A', body: 'a v2', tags: [] }, a);
  await owner.saveNote(s1, { title: 'A', body: 'a v3', tags: [] }, a);
  b = await owner.saveNote(s1, { title: 'B', body: 'b body', tags: [] });
  c = await owner.saveNote(s1, { title: 'C', body: 'untouched', tags: [] });
  inS2 = await owner.saveNote(s2, { title: 'Z', body: 'in share two', tags: [] });
  file = await owner.importFile(s1, { name: 'scan.pdf', type: 'application/pdf', size: fileBytes.length, stream: () => new Blob([fileBytes]).stream() });
  await synced(owner);
});
afterAll(async () => {
  await owner?.lock().catch(() => undefined);
  await h?.stop();
});

describe.skipIf(!relayAvailable)('hostile relay: records, chunks, injection, replay', () => {
  // Each mutation is applied to records of items a and b as served by `pull`; c is left intact.
  const mutations: [string, VaultErrorCode, (r: Record<string, any>, all: Record<string, any>[]) => Record<string, any>][] = [
    ['a byte of the ciphertext body flipped', 'BAD_SIGNATURE', (r) => ({ ...r, body: flipChar(r.body, 1000 + r.body.length / 3) })],
    ['a byte of the signature flipped', 'BAD_SIGNATURE', (r) => ({ ...r, sig: flipChar(r.sig, 7) })],
    ['the version number raised (old version served as new)', 'BAD_SIGNATURE', (r) => ({ ...r, version: r.version + 5, baseVersion: r.version + 4 })],
    ['the epoch changed', 'BAD_SIGNATURE', (r) => ({ ...r, epoch: r.epoch + 1 })],
    ['bodies swapped between items', 'BAD_SIGNATURE', (r, all) => ({ ...r, body: all.find((x) => x.item !== r.item && x.kind === r.kind && (x.item === a || x.item === b))?.body ?? flipChar(r.body, 3) })],
    ['the author replaced by a stranger', 'UNKNOWN_AUTHOR', (r) => ({ ...r, author: { kind: 'account', id: toB64url(new Uint8Array(16).fill(9)) } })],
  ];
  for (const [what, code, mutate] of mutations) {
    it(`flipped record: ${what} → ${code}, not stored, not shown`, async () => {
      const t = new RequestTracker();
      const hook = rewriteJson('down', (m, link) => {
        if (m.type !== 'ok' || t.requestOf(link, m.id)?.type !== 'pull') return undefined;
        return { ...m, records: m.records.map((r: Record<string, any>) => (r.item === a || r.item === b ? mutate(r, m.records) : r)) };
      });
      const { v, dev, errors } = await freshDevice('flip', [t.hook, hook], [s1, c]);
      // the hooks stay on while checking: a later retry of the pull, served genuinely, may rightly store a and b
      try {
        expect(await storedIds(dev, s1, [a, b, c])).toEqual([c]);
        expect((await v.listItems(s1)).map((i) => i.title).sort()).not.toContain('A');
        expect(errors).toContain(code);
        await v.lock();
      } finally {
        h.hooks = [];
      }
    });
  }

  it('a record moved from another share → BAD_SIGNATURE (signature binds team and share)', async () => {
    const t = new RequestTracker();
    let moved: Record<string, any> | undefined;
    let injected = 0;
    const hook = rewriteJson('down', (m, link) => {
      if (m.type !== 'ok' || t.requestOf(link, m.id)?.type !== 'pull') return undefined;
      const asked = t.requestOf(link, m.id)!.share;
      if (asked === s2) { moved ??= m.records.find((r: Record<string, any>) => r.item === inS2); return undefined; }
      if (asked === s1 && moved) { injected++; return { ...m, records: [...m.records, { ...moved, seq: m.head + 1 }], head: m.head + 1 }; }
      return undefined;
    });
    const { v, dev } = await freshDevice('move', [t.hook, hook], [s2, inS2]);
    // s1 may have been pulled before s2: pull s1 again now that the record is known
    await until(() => { if (injected === 0) sessionOf(v).engine.kick([s1 as ShareId]); return injected > 0 || undefined; }, 'the moved record served in share one');
    await waitFor(v, async () => ((await sessionOf(v).store.getSyncState(s1 as ShareId))?.lastSeq ?? 0) > 0 ? true : undefined, 'share one pulled');
    await sessionOf(v).engine.idle();
    try {
      const { seq: _seq, ...env } = moved!;
      expect(await codeOf(sessionOf(v).verifyEnvelope(s1 as ShareId, parseRecordEnvelope(env)))).toBe('BAD_SIGNATURE');
      expect(await storedIds(dev, s1, [inS2])).toEqual([]);
      expect((await v.listItems(s1)).map((i) => i.id)).not.toContain(inS2);
      await v.lock();
    } finally {
      h.hooks = [];
    }
  });

  it('the chunk list of a file shortened → BAD_SIGNATURE, the file is not listed', async () => {
    const t = new RequestTracker();
    const hook = rewriteJson('down', (m, link) => {
      if (m.type !== 'ok' || t.requestOf(link, m.id)?.type !== 'pull') return undefined;
      return { ...m, records: m.records.map((r: Record<string, any>) => (r.item === file ? { ...r, chunks: r.chunks.slice(0, -1) } : r)) };
    });
    const { v, dev, errors } = await freshDevice('chunklist', [t.hook, hook], [s1, c]);
    try {
      expect(await storedIds(dev, s1, [file])).toEqual([]);
      expect(errors).toContain('BAD_SIGNATURE');
      await v.lock();
    } finally {
      h.hooks = [];
    }
  });

  describe('unauthenticated chunking: chunks served wrong', () => {
    let reader: VaultApi;
    let hashes: string[];
    beforeAll(async () => {
      ({ v: reader } = await freshDevice('reader', [], [s1, file]));
      hashes = (await sessionOf(reader).store.getRecord(s1 as ShareId, file as ItemId))!.envelope.chunks;
      expect(hashes.length).toBe(3);
    });
    afterAll(async () => { h.hooks = []; await reader?.lock(); });

    const chunkBytes = new Map<string, Uint8Array>();
    /** Rewrites binary `chunk` answers: fn(hash asked, genuine bytes) → bytes to serve (or an error frame). */
    function serve(fn: (hash: string, bytes: Uint8Array) => Uint8Array | string): Hook {
      return (dir, data) => {
        if (dir !== 'down' || typeof data === 'string') return undefined;
        const { header, bytes } = splitFrame(data);
        chunkBytes.set(header.hash, bytes.slice());
        const out = fn(header.hash, bytes);
        return [typeof out === 'string' ? out.replace('"ID"', String(header.id)) : joinFrame(header, out)];
      };
    }
    const cases: [string, VaultErrorCode, () => Hook][] = [
      ['reordered (chunk 1 served for chunk 0)', 'TAMPERED', () => serve((hash, bytes) => (hash === hashes[0] ? chunkBytes.get(hashes[1]!) ?? bytes.subarray(16) : bytes))],
      ['duplicated (chunk 0 served again for chunk 1)', 'TAMPERED', () => serve((hash, bytes) => (hash === hashes[1] ? chunkBytes.get(hashes[0]!)! : bytes))],
      ['truncated (last chunk cut by 100 bytes)', 'TAMPERED', () => serve((hash, bytes) => (hash === hashes[2] ? bytes.subarray(0, bytes.length - 100) : bytes))],
      ['a byte flipped in the middle chunk', 'TAMPERED', () => serve((hash, bytes) => { if (hash !== hashes[1]) return bytes; const x = bytes.slice(); x[4096]! ^= 1; return x; })],
      ['answered with a text `ok` instead of the bytes', 'BAD_FORMAT', () => serve((hash, bytes) => (hash === hashes[1] ? '{"type":"ok","id":"ID"}' : bytes))],
      ['dropped (relay claims the last chunk is gone)', 'NOT_FOUND', () => serve((hash, bytes) => (hash === hashes[2] ? '{"type":"error","id":"ID","code":"NOT_FOUND","message":"gone"}' : bytes))],
    ];
    for (const [what, code, hook] of cases) {
      it(`${what} → ${code}; never a wrong plaintext`, async () => {
        // a fresh reader per case: genuine chunks are cached after a read (and read-ahead may still be filling the cache)
        const { v: r } = await freshDevice('reader', [], [s1, file]);
        h.hooks = [hook()];
        const got = await codeOf(readAll(r.readFile(s1, file)));
        h.hooks = [];
        expect(got).toBe(code);
        await r.lock();
      });
    }
    it('after a tampered read, served genuinely, the same device reads the file byte-identical (no bad chunk was cached)', async () => {
      h.hooks = [cases[0]![2]()];
      expect(await codeOf(readAll(reader.readFile(s1, file)))).toBe('TAMPERED');
      h.hooks = [];
      const out = await readAll(reader.readFile(s1, file));
      expect(createHash('sha256').update(out).digest('hex')).toBe(createHash('sha256').update(fileBytes).digest('hex'));
    });
  });

  it('file injection: a record written into the relay database by the operator → UNKNOWN_AUTHOR / BAD_SIGNATURE, never shown', async () => {
    const sess = sessionOf(owner);
    const team = sess.team as TeamId;
    const attacker = newSignKeyPair();
    const forged = (authorId: string, item: string) => sealNote({
      team, share: s1 as ShareId, item: item as ItemId, version: 1, baseVersion: 0, epoch: 0, shareKey: newShareKey(),
      author: { kind: 'account', id: authorId }, authorKey: attacker.secretKey,
    }, { title: 'Rechnung', body: 'bitte zahlen', tags: [], updatedAt: 1 } as never);
    const stranger = forged(toB64url(new Uint8Array(16).fill(7)), newId());
    const impostor = forged(sess.keys.account, newId()); // claims to be the owner, signed by someone else
    h.withTeamDbs((db) => {
      const sh = db.prepare('SELECT head_seq FROM shares WHERE id = ?').get(s1) as { head_seq: number } | undefined;
      if (!sh) return;
      let seq = sh.head_seq;
      for (const env of [stranger, impostor]) {
        seq++;
        db.prepare('INSERT INTO records VALUES (?,?,?,?,?,?,?,?,?,?,?,?)').run(s1, env.item, 1, seq, 0, 'note', 0, env.author.kind, env.author.id, env.body, '[]', env.sig);
        db.prepare('INSERT INTO items VALUES (?,?,?,?)').run(s1, env.item, 1, seq);
      }
      db.prepare('UPDATE shares SET head_seq = ? WHERE id = ?').run(seq, s1);
    });
    const { v, dev, errors } = await freshDevice('inject', [], [s1, c]);
    await until(async () => errors.length >= 1 || undefined, 'rejections reported');
    expect(await storedIds(dev, s1, [stranger.item, impostor.item])).toEqual([]);
    expect((await v.listItems(s1)).map((i) => i.title)).not.toContain('Rechnung');
    expect(errors.some((e) => e === 'UNKNOWN_AUTHOR' || e === 'BAD_SIGNATURE')).toBe(true);
    await v.lock();
  });

  it('replay of an old version with a fresh seq: a device holding v3 keeps v3', async () => {
    const { v: rd } = await freshDevice('replay', [], [s1, a]);
    expect((await rd.readNote(s1, a)).body).toBe('a v3');
    const v1 = h.frames('up').map((f) => f.msg).filter((m) => m?.type === 'push').flatMap((m) => m!.records).find((r: Record<string, any>) => r.item === a && r.version === 1);
    expect(v1).toBeTruthy();
    const t = new RequestTracker();
    h.hooks = [t.hook, rewriteJson('down', (m, link) => {
      if (m.type !== 'ok' || t.requestOf(link, m.id)?.type !== 'pull' || t.requestOf(link, m.id)?.share !== s1) return undefined;
      return { ...m, records: [...m.records, { ...v1, seq: m.head + 1 }], head: m.head + 1 };
    })];
    const d = await owner.saveNote(s1, { title: 'D', body: 'trigger', tags: [] });
    await waitFor(rd, async () => ((await rd.listItems(s1)).some((i) => i.id === d) ? true : undefined), 'trigger pulled');
    h.hooks = [];
    expect((await rd.readNote(s1, a)).body).toBe('a v3');
    expect((await rd.listItems(s1)).find((i) => i.id === a)?.version).toBe(3);
    await rd.lock();
  });

  let injectedShare = '';
  let injectedSeenBy: VaultApi | null = null;
  let injectedBy = '';
  it('share injection: a share the owner never created (operator adds one with the victim as member) never passes as the user\'s own', async () => {
    const sess = sessionOf(owner);
    const team = sess.team as TeamId;
    const victim = sess.keys.account;
    const victimBoxPk = toB64url(sess.keys.box.publicKey);
    const attacker = newSignKeyPair();
    const attackerAcc = newId();
    const share = newId<ShareId>();
    const key = newShareKey();
    const e0 = nextEntry(share, undefined, attackerAcc, { t: 'create', owner: attackerAcc, boxPk: victimBoxPk, signPk: toB64url(attacker.publicKey), epoch: 0, keyCommit: toB64url(keyCommit(key, team, share, 0)) }, Date.now(), attacker.secretKey);
    const s0 = { head: { index: 0, hash: toB64url(createHash('sha256').update(canonicalJson(e0)).digest()) } } as never;
    const e1 = nextEntry(share, s0, attackerAcc, { t: 'add', account: victim, boxPk: victimBoxPk, signPk: toB64url(sess.keys.sign.publicKey), role: 'editor' }, Date.now(), attacker.secretKey);
    h.withTeamDbs((db) => {
      db.prepare('INSERT INTO shares VALUES (?,?,?,?,?)').run(share, 2, toB64url(createHash('sha256').update(canonicalJson(e1)).digest()), 0, 0);
      db.prepare('INSERT INTO log VALUES (?,?,?)').run(share, 0, JSON.stringify(e0));
      db.prepare('INSERT INTO log VALUES (?,?,?)').run(share, 1, JSON.stringify(e1));
      db.prepare('INSERT INTO members VALUES (?,?,?)').run(share, victim, 'editor');
      db.prepare('INSERT INTO wraps VALUES (?,?,?,?,?)').run(share, 0, 'account', victim, toB64url(wrapShareKeyForMember(key, fromB64url(victimBoxPk) as BoxPublicKey)));
    });
    const { v } = await freshDevice('shareinject', [], [s1, c]);
    await until(async () => (await sessionOf(v).store.listSyncStates()).some((s) => s.share === share) || undefined, 'relay announced the injected share');
    await sessionOf(v).engine.idle();
    const shares = await v.listShares();
    const injected = shares.find((s) => s.id === share);
    // Genuine: the owner's own shares are listed by name; the injected one must not pass as one of them.
    expect(shares.filter((s) => s.name === 'Eins' || s.name === 'Zwei').length).toBe(2);
    expect(injected === undefined || injected.myRole !== 'owner').toBe(true);
    expect(injected === undefined || !(await v.members(share).catch(() => [])).some((m) => m.account === victim && m.role === 'owner')).toBe(true);
    injectedShare = share;
    injectedSeenBy = v;
    injectedBy = attackerAcc;
  });

  // Closed by invitation acceptance (core/vault/invitations.ts): a share this account did not
  // create is only offered as an invitation, with the inviter's safety number to compare.
  it('share injection: the fabricated share is not listed at all until the user accepts an invitation', async () => {
    const v = injectedSeenBy!;
    try {
      expect((await v.listShares()).map((x) => x.id)).not.toContain(injectedShare);
      const inv = (await v.invitations()).find((i) => i.share === injectedShare);
      expect(inv).toMatchObject({ inviter: injectedBy, myRole: 'editor' }); // the fabricated account, shown as such
      expect(inv!.inviterFingerprint).toMatch(/^(\d{5} ){11}\d{5}$/);
      // declined: hidden for good, the genuine shares untouched
      await v.declineInvitation(injectedShare);
      expect((await v.invitations()).map((i) => i.share)).not.toContain(injectedShare);
      expect((await v.listShares()).map((x) => x.id)).not.toContain(injectedShare);
      expect((await v.listShares()).filter((s) => s.name === 'Eins' || s.name === 'Zwei').length).toBe(2);
    } finally {
      await v.lock();
    }
  });

  it('share injection: a fabricated genesis naming the user as owner, signed with a key not theirs, is neither listed nor offered', async () => {
    const sess = sessionOf(owner);
    const team = sess.team as TeamId;
    const victim = sess.keys.account;
    const victimBoxPk = toB64url(sess.keys.box.publicKey);
    const impostor = newSignKeyPair();
    const share = newId<ShareId>();
    const key = newShareKey();
    const e0 = nextEntry(share, undefined, victim, { t: 'create', owner: victim, boxPk: victimBoxPk, signPk: toB64url(impostor.publicKey), epoch: 0, keyCommit: toB64url(keyCommit(key, team, share, 0)) }, Date.now(), impostor.secretKey);
    h.withTeamDbs((db) => {
      db.prepare('INSERT INTO shares VALUES (?,?,?,?,?)').run(share, 1, toB64url(createHash('sha256').update(canonicalJson(e0)).digest()), 0, 0);
      db.prepare('INSERT INTO log VALUES (?,?,?)').run(share, 0, JSON.stringify(e0));
      db.prepare('INSERT INTO members VALUES (?,?,?)').run(share, victim, 'owner');
      db.prepare('INSERT INTO wraps VALUES (?,?,?,?,?)').run(share, 0, 'account', victim, toB64url(wrapShareKeyForMember(key, fromB64url(victimBoxPk) as BoxPublicKey)));
    });
    const { v } = await freshDevice('ownerimpostor', [], [s1, c]);
    try {
      const st = await until(async () => (await sessionOf(v).store.getSyncState(share))?.logHead, 'the impostor log verified and stored');
      expect(st.index).toBe(0); // the log itself verifies: only the key check tells it apart
      await sessionOf(v).engine.idle();
      expect((await v.listShares()).map((x) => x.id)).not.toContain(share);
      expect((await v.invitations()).map((i) => i.share)).not.toContain(share);
      expect((await v.listShares()).filter((x) => x.name === 'Eins' || x.name === 'Zwei').length).toBe(2);
    } finally {
      await v.lock();
    }
  });
});

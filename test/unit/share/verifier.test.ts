/**
 * The membership log verifier (core/vault/membership.ts) on forged chains, key commitments,
 * code authors per epoch, the code label blob, and fingerprints.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../../../core/crypto/sodium.js';
import { newBoxKeyPair, newSignKeyPair } from '../../../core/crypto/keys.js';
import { fromB64url, toB64url } from '../../../core/encoding.js';
import { newId, type AccountId, type CodeId, type ShareId, type TeamId } from '../../../core/ids.js';
import type { BoxPublicKey, CodeWrapKey, ShareKey, SignPublicKey } from '../../../core/crypto/key-types.js';
import { keyCommit, newShareKey, wrapShareKeyForMember } from '../../../core/model/share-keys.js';
import { safetyNumber } from '../../../core/model/fingerprint.js';
import { MemoryVaultStore } from '../../../core/store/memory-store.js';
import { basicLogVerifier, nextEntry, type LogEntry, type LogOp, type ShareState } from '../../../core/vault/membership.js';
import { Keyring, memberKeySource } from '../../../core/vault/keyring.js';
import { checkCodeAuthor } from '../../../core/share/authors.js';
import { openCodeLabel, openCodeWrapKey, sealCodeBlob } from '../../../core/share/code-blob.js';
import { randomKey } from '../../../core/crypto/keys.js';
import { expectCode } from '../core/helpers.js';

beforeAll(ready);

const mk = () => ({ id: newId<AccountId>(), sign: newSignKeyPair(), box: newBoxKeyPair() });
const team = newId<TeamId>();
type P = ReturnType<typeof mk>;

/** A small chain builder: each step signs the next entry on the current verified state. */
function chain() {
  const share = newId<ShareId>();
  const owner = mk();
  const k0 = newShareKey();
  let state: ShareState = basicLogVerifier.replay(share, [nextEntry(share, undefined, owner.id, { t: 'create', owner: owner.id, boxPk: toB64url(owner.box.publicKey), signPk: toB64url(owner.sign.publicKey), epoch: 0, keyCommit: toB64url(keyCommit(k0, team, share, 0)) }, 1, owner.sign.secretKey)]);
  const entry = (by: P, op: LogOp) => nextEntry(share, state, by.id, op, 2, by.sign.secretKey);
  const apply = (e: LogEntry) => { state = basicLogVerifier.replay(share, [e], state); return state; };
  const step = (by: P, op: LogOp) => apply(entry(by, op));
  const add = (by: P, who: P, role: string) => step(by, { t: 'add', account: who.id, boxPk: toB64url(who.box.publicKey), signPk: toB64url(who.sign.publicKey), role });
  const commit = (epoch: number) => toB64url(keyCommit(newShareKey(), team, share, epoch));
  return { share, owner, k0, get state() { return state; }, entry, step, add, commit };
}

describe('verifier: forged chains', () => {
  it('an admin cannot block or demote the owner, nor grant admin→owner; an editor cannot add', () => {
    const c = chain();
    const admin = mk();
    const ed = mk();
    c.add(c.owner, admin, 'admin');
    c.add(admin, ed, 'editor');
    expectCode(() => c.step(admin, { t: 'block', account: c.owner.id, epoch: 1, keyCommit: c.commit(1) }), 'NOT_ALLOWED');
    expectCode(() => c.step(admin, { t: 'role', account: c.owner.id, role: 'viewer' }), 'NOT_ALLOWED');
    expectCode(() => c.step(admin, { t: 'role', account: ed.id, role: 'owner' }), 'BAD_FORMAT');
    expectCode(() => c.add(ed, mk(), 'viewer'), 'NOT_ALLOWED');
    expectCode(() => c.add(c.owner, ed, 'viewer'), 'NOT_ALLOWED'); // already a member
  });

  it('a blocked member cannot act; its earlier entries stay valid', () => {
    const c = chain();
    const admin = mk();
    c.add(c.owner, admin, 'admin');
    c.step(c.owner, { t: 'block', account: admin.id, epoch: 1, keyCommit: c.commit(1) });
    expect(c.state.members.get(admin.id)).toMatchObject({ blocked: true, blockedAt: 1 });
    expectCode(() => c.add(admin, mk(), 'viewer'), 'NOT_ALLOWED');
  });

  it('codes: rotate/revoke need a live code; epochs must increase by one; a swapped key in an add fails the signature', () => {
    const c = chain();
    const code = newId<CodeId>();
    const vpk = toB64url(newSignKeyPair().publicKey);
    const codeOp = { code, verifierPk: vpk, readOnly: false, expiresAt: null, labelEnc: 'AA' };
    c.step(c.owner, { t: 'code.create', ...codeOp });
    expectCode(() => c.step(c.owner, { t: 'code.revoke', code: newId(), epoch: 1, keyCommit: c.commit(1) }), 'NOT_ALLOWED');
    expectCode(() => c.step(c.owner, { t: 'code.revoke', code, epoch: 2, keyCommit: c.commit(2) }), 'BAD_FORMAT');
    c.step(c.owner, { t: 'code.revoke', code, epoch: 1, keyCommit: c.commit(1) });
    expect(c.state.codes.get(code)).toMatchObject({ live: false, fromEpoch: 0, untilEpoch: 1 });
    expectCode(() => c.step(c.owner, { t: 'code.rotate', old: code, ...codeOp, code: newId(), epoch: 2, keyCommit: c.commit(2) }), 'NOT_ALLOWED');
    // relay swaps the public key of a member in its add entry → the owner's signature fails
    const bob = mk();
    const genuine = c.entry(c.owner, { t: 'add', account: bob.id, boxPk: toB64url(bob.box.publicKey), signPk: toB64url(bob.sign.publicKey), role: 'editor' });
    const swapped = { ...genuine, op: { ...genuine.op, boxPk: toB64url(newBoxKeyPair().publicKey) } };
    expectCode(() => basicLogVerifier.replay(c.share, [swapped], c.state), 'BAD_SIGNATURE');
  });

  it('code authors: accepted only while live and not read-only at that epoch', () => {
    const c = chain();
    const rw = newId<CodeId>();
    const ro = newId<CodeId>();
    const base = { verifierPk: toB64url(newSignKeyPair().publicKey), expiresAt: null, labelEnc: 'AA' };
    c.step(c.owner, { t: 'code.create', code: rw, readOnly: false, ...base });
    c.step(c.owner, { t: 'code.create', code: ro, readOnly: true, ...base });
    checkCodeAuthor(c.state, rw, 0);
    expectCode(() => checkCodeAuthor(c.state, ro, 0), 'NOT_ALLOWED');
    expectCode(() => checkCodeAuthor(c.state, newId(), 0), 'NOT_ALLOWED');
    c.step(c.owner, { t: 'code.revoke', code: rw, epoch: 1, keyCommit: c.commit(1) });
    checkCodeAuthor(c.state, rw, 0); // its old records stay valid
    expectCode(() => checkCodeAuthor(c.state, rw, 1), 'NOT_ALLOWED');
  });
});

describe('keyring: keys only under the verified commitment', () => {
  it('a wrap of another key (commit mismatch) → WRONG_KEY; no commitment → WRONG_KEY, never an unchecked key', async () => {
    const c = chain();
    const store = new MemoryVaultStore();
    const forged = newShareKey();
    await store.putWrappedKeys([{ share: c.share, epoch: 0, to: { kind: 'account', id: c.owner.id }, wrapped: toB64url(wrapShareKeyForMember(forged, c.owner.box.publicKey)) }]);
    let refreshed = 0;
    const ring = (commits: Map<number, string>) => new Keyring(store, memberKeySource(team, c.owner.id, c.owner.box), (_s, e) => (commits.has(e) ? fromB64url(commits.get(e)!) : undefined), async () => { refreshed++; });
    await expect(ring(c.state.keyCommits).keysFor(c.share, 0)).rejects.toMatchObject({ code: 'WRONG_KEY' });
    await expect(ring(new Map()).keysFor(c.share, 0)).rejects.toMatchObject({ code: 'WRONG_KEY' });
    expect(refreshed).toBe(1); // mismatch: refused at once; unknown commitment: one refresh, then refused
    await store.putWrappedKeys([{ share: c.share, epoch: 0, to: { kind: 'account', id: c.owner.id }, wrapped: toB64url(wrapShareKeyForMember(c.k0, c.owner.box.publicKey)) }]);
    expect(await ring(c.state.keyCommits).keysFor(c.share, 0)).toEqual(c.k0);
  });
});

describe('code label blob and fingerprints', () => {
  it('label opens with the share key only; the wrap key opens only for its holders', () => {
    const share = newId<ShareId>();
    const code = newId<CodeId>();
    const admin = mk();
    const other = mk();
    const key = newShareKey();
    const wrapKey = randomKey<CodeWrapKey>();
    const blob = sealCodeBlob({ team, share, code, epoch: 3, shareKey: key, label: 'Prüfer Ü'.repeat(40), wrapKey, holders: [{ account: admin.id, boxPk: admin.box.publicKey as BoxPublicKey }] });
    expect(blob.length).toBeLessThanOrEqual(1024);
    expect(openCodeLabel(team, share, code, blob, key).startsWith('Prüfer Ü')).toBe(true);
    expectCode(() => openCodeLabel(team, share, code, blob, newShareKey() as ShareKey), 'WRONG_KEY');
    expect(openCodeWrapKey(blob, admin.id, admin.box)).toEqual(wrapKey);
    expect(openCodeWrapKey(blob, other.id, other.box)).toBeUndefined();
  });

  it('safety numbers are stable and change with any key', () => {
    const p = mk();
    const a = safetyNumber(p.id, p.box.publicKey as BoxPublicKey, p.sign.publicKey as SignPublicKey);
    expect(a).toMatch(/^(\d{5} ){11}\d{5}$/);
    expect(safetyNumber(p.id, p.box.publicKey as BoxPublicKey, p.sign.publicKey as SignPublicKey)).toBe(a);
    expect(safetyNumber(p.id, newBoxKeyPair().publicKey as BoxPublicKey, p.sign.publicKey as SignPublicKey)).not.toBe(a);
    // pinned vector: fixed input → fixed digits
    const fixed = safetyNumber('AAAAAAAAAAAAAAAAAAAAAA' as AccountId, new Uint8Array(32).fill(1) as BoxPublicKey, new Uint8Array(32).fill(2) as SignPublicKey);
    expect(fixed).toBe(safetyNumber('AAAAAAAAAAAAAAAAAAAAAA' as AccountId, new Uint8Array(32).fill(1) as BoxPublicKey, new Uint8Array(32).fill(2) as SignPublicKey));
  });
});

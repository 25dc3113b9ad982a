import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../../../core/crypto/sodium.js';
import { newBoxKeyPair, newSignKeyPair } from '../../../core/crypto/keys.js';
import { toB64url } from '../../../core/encoding.js';
import { newId } from '../../../core/ids.js';
import { basicLogVerifier, nextEntry, type LogEntry } from '../../../core/vault/membership.js';
import { expectCode } from '../core/helpers.js';

beforeAll(ready);

function people() {
  const mk = () => ({ id: newId(), sign: newSignKeyPair(), box: newBoxKeyPair() });
  return { owner: mk(), bob: mk(), eve: mk() };
}
const commit = toB64url(new Uint8Array(32).fill(1));

describe('basicLogVerifier (membership log seam)', () => {
  it('replays create → add → block with a new epoch, and remembers the block epoch', () => {
    const { owner, bob } = people();
    const share = newId();
    const e0 = nextEntry(share, undefined, owner.id, { t: 'create', owner: owner.id, boxPk: toB64url(owner.box.publicKey), signPk: toB64url(owner.sign.publicKey), epoch: 0, keyCommit: commit }, 1, owner.sign.secretKey);
    let s = basicLogVerifier.replay(share, [e0]);
    const e1 = nextEntry(share, s, owner.id, { t: 'add', account: bob.id, boxPk: toB64url(bob.box.publicKey), signPk: toB64url(bob.sign.publicKey), role: 'editor' }, 2, owner.sign.secretKey);
    s = basicLogVerifier.replay(share, [e1], s);
    expect(s.members.get(bob.id)?.role).toBe('editor');
    const e2 = nextEntry(share, s, owner.id, { t: 'block', account: bob.id, epoch: 1, keyCommit: commit }, 3, owner.sign.secretKey);
    s = basicLogVerifier.replay(share, [e2], s);
    expect(s.epoch).toBe(1);
    expect(s.members.get(bob.id)).toMatchObject({ blocked: true, blockedAt: 1 });
    // the whole chain from scratch gives the same head
    expect(basicLogVerifier.replay(share, [e0, e1, e2]).head).toEqual(s.head);
  });

  it('refuses forged, forked, and unauthorised entries', async () => {
    const { owner, bob, eve } = people();
    const share = newId();
    const e0 = nextEntry(share, undefined, owner.id, { t: 'create', owner: owner.id, boxPk: toB64url(owner.box.publicKey), signPk: toB64url(owner.sign.publicKey), epoch: 0, keyCommit: commit }, 1, owner.sign.secretKey);
    const s = basicLogVerifier.replay(share, [e0]);
    const add = (by: typeof owner, who: typeof bob, role: 'editor' | 'admin') =>
      nextEntry(share, s, by.id, { t: 'add', account: who.id, boxPk: toB64url(who.box.publicKey), signPk: toB64url(who.sign.publicKey), role }, 2, by.sign.secretKey);
    // signed by the owner's id but with eve's key
    const forged: LogEntry = { ...add(owner, eve, 'admin'), sig: add({ ...owner, sign: eve.sign }, eve, 'admin').sig };
    await expectCode(() => basicLogVerifier.replay(share, [forged], s), 'BAD_SIGNATURE');
    // a non-member adding itself
    await expectCode(() => basicLogVerifier.replay(share, [add(eve, eve, 'admin')], s), 'NOT_ALLOWED');
    // two different entries at index 1: the second one is a fork
    const s1 = basicLogVerifier.replay(share, [add(owner, bob, 'editor')], s);
    await expectCode(() => basicLogVerifier.replay(share, [add(owner, eve, 'editor')], s1), 'LOG_FORKED');
    // a genesis not signed by its owner
    const bad0 = nextEntry(share, undefined, eve.id, { t: 'create', owner: owner.id, boxPk: toB64url(owner.box.publicKey), signPk: toB64url(owner.sign.publicKey), epoch: 0, keyCommit: commit }, 1, eve.sign.secretKey);
    await expectCode(() => basicLogVerifier.replay(share, [bad0]), 'NOT_ALLOWED');
  });
});

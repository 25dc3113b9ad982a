/**
 * The record-author rule's input (core/vault/membership.ts `writeEpochs`): the epochs in which a
 * member held editor or above at some point. A reader refuses a member's record of any other
 * epoch (core/vault/session.ts verifyEnvelope), so a viewer's record the relay stored anyway, or a
 * blocked member's record of a later epoch, never counts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../../../core/crypto/sodium.js';
import { newBoxKeyPair, newSignKeyPair } from '../../../core/crypto/keys.js';
import { toB64url } from '../../../core/encoding.js';
import { newId } from '../../../core/ids.js';
import { basicLogVerifier, nextEntry, type LogEntry, type LogOp, type ShareState } from '../../../core/vault/membership.js';
import { expectCode } from './helpers.js';

beforeAll(ready);

const mk = () => ({ id: newId(), sign: newSignKeyPair(), box: newBoxKeyPair() });
type P = ReturnType<typeof mk>;
const key = () => toB64url(newSignKeyPair().publicKey);

/** A share log built entry by entry through the real verifier (each entry signed by its author). */
function shareLog() {
  const share = newId();
  const owner = mk();
  const log: LogEntry[] = [];
  let state: ShareState | undefined;
  const step = (by: P, op: LogOp) => {
    const e = nextEntry(share, state, by.id, op, 1 + log.length, by.sign.secretKey);
    state = basicLogVerifier.replay(share, [e], state);
    log.push(e);
    return state;
  };
  step(owner, { t: 'create', owner: owner.id, boxPk: toB64url(owner.box.publicKey), signPk: toB64url(owner.sign.publicKey), epoch: 0, keyCommit: key() });
  const s = () => state!;
  return {
    share, owner, log, state: s,
    add: (who: P, role: string, by: P = owner) => step(by, { t: 'add', account: who.id, boxPk: toB64url(who.box.publicKey), signPk: toB64url(who.sign.publicKey), role }),
    role: (who: P, role: string, by: P = owner) => step(by, { t: 'role', account: who.id, role }),
    epoch: (by: P = owner) => step(by, { t: 'epoch', epoch: s().epoch + 1, keyCommit: key() }),
    block: (who: P, by: P = owner) => step(by, { t: 'block', account: who.id, epoch: s().epoch + 1, keyCommit: key() }),
    codeCreate: (code: string) => step(owner, { t: 'code.create', code, verifierPk: key(), readOnly: false, expiresAt: null }),
    codeRotate: (old: string, code: string) => step(owner, { t: 'code.rotate', old, code, verifierPk: key(), readOnly: false, expiresAt: null, epoch: s().epoch + 1, keyCommit: key() }),
    codeRevoke: (code: string) => step(owner, { t: 'code.revoke', code, epoch: s().epoch + 1, keyCommit: key() }),
    writeEpochs: (who: P) => [...s().members.get(who.id)!.writeEpochs].sort((a, b) => a - b),
  };
}

describe('membership log: write epochs', () => {
  it('the owner writes from epoch 0', () => {
    const l = shareLog();
    expect(l.writeEpochs(l.owner)).toEqual([0]);
    l.epoch();
    expect(l.writeEpochs(l.owner)).toEqual([0, 1]);
  });

  it('a viewer has no write epoch, not even after new epochs', () => {
    const l = shareLog();
    const v = mk();
    l.add(v, 'viewer');
    expect(l.writeEpochs(v)).toEqual([]);
    l.epoch();
    l.codeCreate(newId());
    expect(l.state().epoch).toBe(1);
    expect(l.writeEpochs(v)).toEqual([]);
  });

  it('an editor or admin added at epoch N writes from N (not before)', () => {
    const l = shareLog();
    l.epoch();
    const ed = mk(), ad = mk();
    l.add(ed, 'editor');
    l.add(ad, 'admin');
    expect(l.writeEpochs(ed)).toEqual([1]);
    expect(l.writeEpochs(ad)).toEqual([1]);
  });

  it('setting a viewer to viewer again adds no write epoch', () => {
    const l = shareLog();
    const v = mk();
    l.add(v, 'viewer');
    l.role(v, 'viewer');
    expect(l.writeEpochs(v)).toEqual([]);
  });
  it('promoting a viewer to editor adds the current epoch only', () => {
    const l = shareLog();
    const v = mk();
    l.add(v, 'viewer');
    l.epoch();
    l.epoch();
    l.role(v, 'editor');
    expect(l.writeEpochs(v)).toEqual([2]);
  });

  it('every new epoch (epoch, code.rotate, code.revoke, block) is added for editors and above; code.create starts none', () => {
    const l = shareLog();
    const ed = mk(), ad = mk(), other = mk();
    l.add(ed, 'editor');
    l.add(ad, 'admin');
    l.add(other, 'editor');
    l.epoch(); // 1
    const c1 = newId(), c2 = newId();
    l.codeCreate(c1); // still 1
    l.codeRotate(c1, c2); // 2
    l.codeRevoke(c2); // 3
    l.block(other); // 4
    expect(l.state().epoch).toBe(4);
    expect(l.writeEpochs(ed)).toEqual([0, 1, 2, 3, 4]);
    expect(l.writeEpochs(ad)).toEqual([0, 1, 2, 3, 4]);
    expect(l.writeEpochs(l.owner)).toEqual([0, 1, 2, 3, 4]);
  });

  it('an editor demoted to viewer keeps the epoch it wrote in, gains no later one', () => {
    const l = shareLog();
    const ed = mk();
    l.add(ed, 'editor');
    l.epoch(); // 1
    l.role(ed, 'viewer');
    expect(l.writeEpochs(ed)).toEqual([0, 1]);
    l.epoch(); // 2
    expect(l.writeEpochs(ed)).toEqual([0, 1]);
  });

  it('a blocked member gets no epoch after blocking (the block starts a new epoch without it)', () => {
    const l = shareLog();
    const ed = mk(), ad = mk();
    l.add(ed, 'editor');
    l.add(ad, 'admin');
    l.epoch(); // 1
    l.block(ed, ad); // 2
    expect(l.state().members.get(ed.id)).toMatchObject({ blocked: true, blockedAt: 2 });
    expect(l.writeEpochs(ed)).toEqual([0, 1]);
    l.epoch(); // 3
    const code = newId();
    l.codeCreate(code);
    l.codeRotate(code, newId()); // 4
    expect(l.writeEpochs(ed)).toEqual([0, 1]);
    expect(l.writeEpochs(ad)).toEqual([0, 1, 2, 3, 4]);
  });

  it('a blocked member cannot be promoted into new write epochs', async () => {
    const l = shareLog();
    const ed = mk();
    l.add(ed, 'editor');
    l.block(ed); // 1
    const e = nextEntry(l.share, l.state(), l.owner.id, { t: 'role', account: ed.id, role: 'admin' }, 99, l.owner.sign.secretKey);
    await expectCode(() => basicLogVerifier.replay(l.share, [e], l.state()), 'NOT_ALLOWED');
    expect(l.writeEpochs(ed)).toEqual([0]);
  });

  it('re-added after a block: the old write epochs stay, new ones only with a writing role', () => {
    const l = shareLog();
    const a = mk(), b = mk();
    l.add(a, 'editor');
    l.add(b, 'editor');
    l.block(a); // 1
    l.block(b); // 2
    l.add(a, 'viewer');
    l.add(b, 'editor');
    l.epoch(); // 3
    expect(l.writeEpochs(a)).toEqual([0]);
    expect(l.writeEpochs(b)).toEqual([0, 1, 2, 3]);
    expect(l.state().members.get(a.id)!.blockedAt).toBeUndefined();
  });

  it('a full replay gives the same write epochs as step by step, and a replay never changes the state it started from', () => {
    const l = shareLog();
    const ed = mk(), v = mk();
    l.add(ed, 'editor');
    l.add(v, 'viewer');
    const before = l.state();
    const snapshot = new Map([...before.members].map(([k, m]) => [k, [...m.writeEpochs]]));
    l.epoch();
    l.role(v, 'editor');
    l.epoch();
    for (const [k, eps] of snapshot) expect([...before.members.get(k)!.writeEpochs]).toEqual(eps);
    const full = basicLogVerifier.replay(l.share, l.log);
    for (const who of [l.owner, ed, v]) expect([...full.members.get(who.id)!.writeEpochs].sort()).toEqual(l.writeEpochs(who));
    expect(l.writeEpochs(v)).toEqual([1, 2]);
  });
});

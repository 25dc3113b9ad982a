/**
 * The share membership log rules (core/vault/membership.ts basicLogVerifier): one refused entry
 * per rule, next to an accepted one that differs only in what the rule is about, with the
 * VaultError code and message; and parseLogEntry's structure check.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../../../core/crypto/sodium.js';
import { newBoxKeyPair, newSignKeyPair } from '../../../core/crypto/keys.js';
import { toB64url } from '../../../core/encoding.js';
import { newId } from '../../../core/ids.js';
import { basicLogVerifier, entryHash, nextEntry, parseLogEntry, signLogEntry, type LogEntry, type LogOp, type ShareState } from '../../../core/vault/membership.js';
import { expectCode } from './helpers.js';

beforeAll(ready);

const mk = () => ({ id: newId(), sign: newSignKeyPair(), box: newBoxKeyPair() });
type P = ReturnType<typeof mk>;
const key = () => toB64url(newSignKeyPair().publicKey);
const ZERO = toB64url(new Uint8Array(32));

function log() {
  const share = newId();
  const owner = mk(), admin = mk(), editor = mk(), viewer = mk();
  const create = (over: Record<string, unknown> = {}): LogOp => ({ t: 'create', owner: owner.id, boxPk: toB64url(owner.box.publicKey), signPk: toB64url(owner.sign.publicKey), epoch: 0, keyCommit: key(), ...over });
  let s = basicLogVerifier.replay(share, [nextEntry(share, undefined, owner.id, create(), 1, owner.sign.secretKey)]);
  const next = (by: P, op: LogOp, st: ShareState = s) => nextEntry(share, st, by.id, op, 2, by.sign.secretKey);
  const step = (by: P, op: LogOp) => (s = basicLogVerifier.replay(share, [next(by, op)], s));
  const addOp = (who: P, role: string): LogOp => ({ t: 'add', account: who.id, boxPk: toB64url(who.box.publicKey), signPk: toB64url(who.sign.publicKey), role });
  step(owner, addOp(admin, 'admin'));
  step(owner, addOp(editor, 'editor'));
  step(owner, addOp(viewer, 'viewer'));
  const l = {
    share, owner, admin, editor, viewer, create, next, step, addOp,
    get s() { return s; },
    epochOp: (over: Record<string, unknown> = {}): LogOp => ({ t: 'epoch', epoch: s.epoch + 1, keyCommit: key(), ...over }),
    codeOp: (code: string, over: Record<string, unknown> = {}): LogOp => ({ t: 'code.create', code, verifierPk: key(), readOnly: false, expiresAt: null, ...over }),
    /** `good` is accepted (on a copy), `bad` refused with `code` and a message containing `msg`; the state stays. */
    async contrast(by: P, good: LogOp, bad: LogOp, code: Parameters<typeof expectCode>[1], msg: string, badBy: P = by) {
      expect(basicLogVerifier.replay(share, [next(by, good)], s).head.index).toBe(s.head.index + 1);
      const head = s.head;
      const err = await expectCode(() => basicLogVerifier.replay(share, [next(badBy, bad)], s), code);
      expect(err.message).toContain(msg);
      expect(err.message.startsWith('replayLog: ')).toBe(true);
      expect(s.head).toEqual(head);
      return err;
    },
  };
  return l;
}

describe('share log: the genesis', () => {
  it('a create by its owner at index 0 founds the log', () => {
    const l = log();
    const g = basicLogVerifier.replay(l.share, [l.s.entries[0]!]);
    expect(g).toMatchObject({ share: l.share, owner: l.owner.id, epoch: 0, head: { index: 0, hash: entryHash(l.s.entries[0]!) } });
    expect(g.members.get(l.owner.id)).toMatchObject({ role: 'owner', blocked: false });
    expect(g.keyCommits.get(0)).toBe(l.s.entries[0]!.op.keyCommit);
    expect(g.entries).toHaveLength(1);
  });
  it('refuses a first entry not at 0, not after the zero hash, not a create, by another author, at another epoch, or with a bad key', async () => {
    const l = log();
    const sign = (over: Partial<LogEntry>, op = l.create(), by = l.owner) => signLogEntry({ share: l.share, index: 0, prev: ZERO, ts: 1, author: by.id, op, ...over }, by.sign.secretKey);
    const cases: Array<[LogEntry, 'BAD_FORMAT' | 'NOT_ALLOWED', string]> = [
      [sign({ index: 1 }), 'BAD_FORMAT', 'the first entry must be a create at index 0'],
      [sign({ prev: key() }), 'BAD_FORMAT', 'the first entry must be a create at index 0'],
      [sign({}, { ...l.create(), t: 'epoch' }), 'BAD_FORMAT', 'the first entry must be a create at index 0'],
      [sign({}, l.create({ owner: l.admin.id })), 'NOT_ALLOWED', 'the genesis must be signed by the owner'],
      [sign({}, l.create({ epoch: 1 })), 'BAD_FORMAT', 'the genesis must start epoch 0'],
      [sign({}, l.create({ signPk: 'c2hvcnQ' })), 'BAD_FORMAT', 'op create: signPk is not a 32-byte key'],
      [sign({}, l.create({ boxPk: '!!' })), 'BAD_FORMAT', 'op create: boxPk is not a 32-byte key'],
      [sign({}, l.create({ owner: 7 })), 'BAD_FORMAT', 'op create lacks owner'],
    ];
    expect(basicLogVerifier.replay(l.share, [sign({})]).head.index).toBe(0);
    for (const [e, code, msg] of cases) expect((await expectCode(() => basicLogVerifier.replay(l.share, [e]), code)).message).toBe(`replayLog: ${msg}`);
  });
  it('no entries and no state: NOT_FOUND', async () => {
    const l = log();
    expect((await expectCode(() => basicLogVerifier.replay(l.share, []), 'NOT_FOUND')).message).toBe(`replayLog: share ${l.share} has no log`);
  });
});

describe('share log: the chain', () => {
  it('an entry of another share → BAD_FORMAT', async () => {
    const l = log();
    const e = l.next(l.owner, l.epochOp());
    const err = await expectCode(() => basicLogVerifier.replay(newId(), [e], l.s), 'BAD_FORMAT');
    expect(err.message).toBe(`replayLog: entry ${e.index} belongs to another share`);
  });
  it('a known entry again is skipped; a different one at a known index → LOG_FORKED', async () => {
    const l = log();
    const known = l.s.entries[2]!;
    expect(basicLogVerifier.replay(l.share, [known], l.s).head).toEqual(l.s.head);
    const other = signLogEntry({ ...known, ts: known.ts + 1 }, l.owner.sign.secretKey);
    expect((await expectCode(() => basicLogVerifier.replay(l.share, [other], l.s), 'LOG_FORKED')).message).toBe('replayLog: entry 2 differs from the one already verified');
    const head = l.s.entries.at(-1)!;
    expect(basicLogVerifier.replay(l.share, [head], l.s).head).toEqual(l.s.head);
    const otherHead = signLogEntry({ ...head, ts: head.ts + 1 }, l.owner.sign.secretKey);
    expect((await expectCode(() => basicLogVerifier.replay(l.share, [otherHead], l.s), 'LOG_FORKED')).message).toBe(`replayLog: entry ${head.index} differs from the one already verified`);
  });
  it('a gap or a wrong prev → LOG_FORKED', async () => {
    const l = log();
    const e = l.next(l.owner, l.epochOp());
    for (const bad of [{ index: e.index + 1 }, { prev: key() }]) {
      const forged = signLogEntry({ ...e, ...bad }, l.owner.sign.secretKey);
      expect((await expectCode(() => basicLogVerifier.replay(l.share, [forged], l.s), 'LOG_FORKED')).message).toBe(`replayLog: entry ${forged.index} does not extend the verified chain`);
    }
  });
  it('an author who is not a member, or blocked → NOT_ALLOWED', async () => {
    const l = log();
    const stranger = mk();
    await l.contrast(l.admin, l.epochOp(), l.epochOp(), 'NOT_ALLOWED', 'author is not a member', stranger);
    l.step(l.owner, { t: 'block', account: l.editor.id, epoch: 1, keyCommit: key() });
    await l.contrast(l.owner, l.addOp(mk(), 'viewer'), l.addOp(mk(), 'viewer'), 'NOT_ALLOWED', 'author is not a member', l.editor);
  });
  it('a second create → BAD_FORMAT', async () => {
    const l = log();
    await l.contrast(l.owner, l.epochOp(), l.create(), 'BAD_FORMAT', 'a second create');
  });
  it('an unknown op → BAD_FORMAT naming it', async () => {
    const l = log();
    const err = await l.contrast(l.owner, l.epochOp(), { t: 'promote' }, 'BAD_FORMAT', 'unknown op promote');
    expect(err.message).toBe(`replayLog: entry ${l.s.head.index + 1}: unknown op promote`);
  });
  it('a replay leaves the state it started from untouched', () => {
    const l = log();
    const before = l.s;
    const snapshot = { head: { ...before.head }, entries: before.entries.length, commits: before.keyCommits.size, members: [...before.members.values()].map((m) => ({ ...m, writeEpochs: [...m.writeEpochs] })) };
    basicLogVerifier.replay(l.share, [l.next(l.owner, { t: 'block', account: l.editor.id, epoch: 1, keyCommit: key() })], before);
    expect({ head: before.head, entries: before.entries.length, commits: before.keyCommits.size, members: [...before.members.values()].map((m) => ({ ...m, writeEpochs: [...m.writeEpochs] })) }).toEqual(snapshot);
  });
});

describe('share log: role rules', () => {
  it('only an owner or admin acts', async () => {
    const l = log();
    for (const who of [l.editor, l.viewer]) await l.contrast(l.admin, l.epochOp(), l.epochOp(), 'NOT_ALLOWED', 'only an owner/admin may epoch', who);
  });
  it('add: a real role other than owner; an admin may add an admin; not an existing member', async () => {
    const l = log();
    const n = mk();
    for (const role of ['owner', 'boss']) await l.contrast(l.admin, l.addOp(n, 'admin'), l.addOp(n, role), 'BAD_FORMAT', 'bad role');
    await l.contrast(l.admin, l.addOp(n, 'viewer'), l.addOp(l.viewer, 'viewer'), 'NOT_ALLOWED', `${l.viewer.id} is already a member`);
    l.step(l.admin, l.addOp(n, 'admin'));
    expect(l.s.members.get(n.id)).toMatchObject({ role: 'admin', blocked: false, boxPk: toB64url(n.box.publicKey), signPk: toB64url(n.sign.publicKey) });
  });
  it('role: a real role; an active non-owner member; an admin may set another admin', async () => {
    const l = log();
    for (const role of ['owner', 'boss']) await l.contrast(l.admin, { t: 'role', account: l.viewer.id, role: 'editor' }, { t: 'role', account: l.viewer.id, role }, 'BAD_FORMAT', 'bad role');
    for (const acc of [l.owner.id, newId()]) await l.contrast(l.admin, { t: 'role', account: l.viewer.id, role: 'editor' }, { t: 'role', account: acc, role: 'editor' }, 'NOT_ALLOWED', 'no such member (or the owner)');
    l.step(l.owner, l.addOp(mk(), 'admin'));
    const other = [...l.s.members.values()].at(-1)!;
    l.step(l.admin, { t: 'role', account: other.account, role: 'viewer' });
    l.step(l.admin, { t: 'role', account: l.viewer.id, role: 'admin' });
    expect([l.s.members.get(other.account)!.role, l.s.members.get(l.viewer.id)!.role]).toEqual(['viewer', 'admin']);
    l.step(l.owner, { t: 'block', account: l.editor.id, epoch: 1, keyCommit: key() });
    await l.contrast(l.admin, { t: 'role', account: l.viewer.id, role: 'editor' }, { t: 'role', account: l.editor.id, role: 'editor' }, 'NOT_ALLOWED', 'no such member (or the owner)');
  });
  it('block: not the owner, not oneself, not someone blocked or unknown; an admin may block an admin; the epoch must be the next', async () => {
    const l = log();
    const ok = (acc: string, epoch = l.s.epoch + 1): LogOp => ({ t: 'block', account: acc, epoch, keyCommit: key() });
    for (const acc of [l.owner.id, l.admin.id, newId()]) await l.contrast(l.admin, ok(l.editor.id), ok(acc), 'NOT_ALLOWED', 'cannot block that account');
    for (const epoch of [l.s.epoch, l.s.epoch + 2, '1']) await l.contrast(l.admin, ok(l.editor.id), ok(l.editor.id, epoch as number), 'BAD_FORMAT', 'epochs must increase by one');
    l.step(l.owner, l.addOp(mk(), 'admin'));
    const other = [...l.s.members.values()].at(-1)!;
    l.step(l.admin, ok(other.account));
    expect(l.s.members.get(other.account)).toMatchObject({ blocked: true, blockedAt: 1 });
    await l.contrast(l.admin, ok(l.editor.id), ok(other.account), 'NOT_ALLOWED', 'cannot block that account');
  });
});

describe('share log: codes and epochs', () => {
  it('code.create keeps the label when it is a string, starts no epoch, and refuses an existing id or bad fields', async () => {
    const l = log();
    const c = newId();
    for (const bad of [{ readOnly: 'yes' }, { readOnly: null }, { expiresAt: '2030' }]) await l.contrast(l.admin, l.codeOp(c), l.codeOp(c, bad), 'BAD_FORMAT', 'bad code fields');
    l.step(l.admin, l.codeOp(c, { labelEnc: 'bGFiZWw', expiresAt: 5 }));
    expect(l.s.codes.get(c)).toMatchObject({ code: c, readOnly: false, expiresAt: 5, labelEnc: 'bGFiZWw', live: true, fromEpoch: 0 });
    expect(l.s.epoch).toBe(0);
    await l.contrast(l.admin, l.codeOp(newId()), l.codeOp(c), 'NOT_ALLOWED', `code ${c} exists`);
    const d = newId();
    l.step(l.admin, l.codeOp(d, { labelEnc: 7 }));
    expect(l.s.codes.get(d)!.labelEnc).toBeUndefined();
  });
  it('code.rotate / code.revoke end a live code at the new epoch; not one that is not live', async () => {
    const l = log();
    const c = newId(), c2 = newId();
    l.step(l.admin, l.codeOp(c));
    await l.contrast(l.admin, { ...l.codeOp(c2), t: 'code.rotate', old: c, epoch: 1, keyCommit: key() }, { ...l.codeOp(c2), t: 'code.rotate', old: newId(), epoch: 1, keyCommit: key() }, 'NOT_ALLOWED', 'is not live');
    l.step(l.admin, { ...l.codeOp(c2), t: 'code.rotate', old: c, epoch: 1, keyCommit: key() });
    expect(l.s.codes.get(c)).toMatchObject({ live: false, untilEpoch: 1 });
    expect(l.s.codes.get(c2)).toMatchObject({ live: true, fromEpoch: 1 });
    await l.contrast(l.admin, { t: 'code.revoke', code: c2, epoch: 2, keyCommit: key() }, { t: 'code.revoke', code: c, epoch: 2, keyCommit: key() }, 'NOT_ALLOWED', `code ${c} is not live`);
    l.step(l.admin, { t: 'code.revoke', code: c2, epoch: 2, keyCommit: key() });
    expect(l.s.codes.get(c2)).toMatchObject({ live: false, untilEpoch: 2 });
    expect(l.s.epoch).toBe(2);
  });
  it('a new epoch records its key commitment; a bad commitment is refused', async () => {
    const l = log();
    const k = key();
    await l.contrast(l.admin, l.epochOp(), l.epochOp({ keyCommit: 'c2hvcnQ' }), 'BAD_FORMAT', 'keyCommit is not a 32-byte key');
    l.step(l.admin, l.epochOp({ keyCommit: k }));
    expect([l.s.epoch, l.s.keyCommits.get(1)]).toEqual([1, k]);
  });
});

describe('parseLogEntry', () => {
  it('takes an entry object or its JSON text', () => {
    const l = log();
    const e = l.s.entries[1]!;
    expect(parseLogEntry(e)).toEqual(e);
    expect(parseLogEntry(JSON.stringify(e))).toEqual(e);
  });
  it('refuses text that is not JSON (with the cause) and anything missing a field', async () => {
    const l = log();
    const e = l.s.entries[1]!;
    const nj = await expectCode(() => parseLogEntry('{oops'), 'BAD_FORMAT');
    expect([nj.message, nj.cause instanceof SyntaxError]).toEqual(['parseLogEntry: not JSON', true]);
    const broken: unknown[] = [null, 5, 'null', { ...e, share: 1 }, { ...e, index: 1.5 }, { ...e, prev: null }, { ...e, ts: '1' }, { ...e, author: 2 }, { ...e, sig: 3 }, { ...e, op: null }, { ...e, op: { t: 4 } }];
    for (const b of broken) expect((await expectCode(() => parseLogEntry(b), 'BAD_FORMAT')).message).toBe('parseLogEntry: not a log entry');
  });
});

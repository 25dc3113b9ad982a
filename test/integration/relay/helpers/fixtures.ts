/** Identities, teams, shares, log entries and records for relay tests. */
import { createHash, randomBytes } from 'node:crypto';
import { canonicalJson, ZERO_HASH } from '../../../../protocol/index.js';
import { b64, newId, newKeys, TestClient, type Keys, type Msg } from './client.js';

export interface Member {
  account: string;
  sign: Keys;
  auth: Keys;
  boxPk: string;
  device: string;
  deviceKeys: Keys;
}

export function newMember(): Member {
  return { account: newId(), sign: newKeys(), auth: newKeys(), boxPk: newKeys().pk, device: newId(), deviceKeys: newKeys() };
}
export function accountReg(m: Member) {
  return { id: m.account, signPk: m.sign.pk, boxPk: m.boxPk, authPk: m.auth.pk, kdf: { alg: 'argon2id13', salt: b64(16), opslimit: 3, memlimit: 268435456 }, keyBlob: b64(200) };
}
export function deviceReg(m: Member) {
  return { id: m.device, signPk: m.deviceKeys.pk, cert: b64(64), platform: 'linux', nameEnc: b64(40) };
}

/** Opens a connection and creates a team with `owner` as first account/device. */
export async function createTeam(url: string, owner = newMember(), team = newId()): Promise<{ c: TestClient; team: string; owner: Member }> {
  const c = await TestClient.open(url);
  await c.hello();
  c.send({ type: 'team.create', team, account: accountReg(owner), device: deviceReg(owner), sig: c.authSig(owner.deviceKeys, team, 'team.create', owner.device) });
  const w = await c.next();
  if (w.type !== 'welcome') throw new Error(`createTeam: ${JSON.stringify(w)}`);
  return { c, team, owner };
}

export async function connectDevice(url: string, team: string, m: Member): Promise<{ c: TestClient; first: Msg }> {
  const c = await TestClient.open(url);
  await c.hello();
  c.send({ type: 'auth', method: 'device', team, device: m.device, sig: c.authSig(m.deviceKeys, team, 'device', m.device) });
  return { c, first: await c.next() };
}

export async function connectCode(url: string, team: string, code: string, verifier: Keys): Promise<{ c: TestClient; first: Msg }> {
  const c = await TestClient.open(url);
  await c.hello();
  c.send({ type: 'auth', method: 'code', team, code, sig: c.authSig(verifier, team, 'code', code) });
  return { c, first: await c.next() };
}

/** Keeps a share's log chain on the test side. */
export class ShareLog {
  entries: Msg[] = [];
  epoch = 0;
  constructor(readonly share: string) {}
  get prev(): string {
    const last = this.entries.at(-1);
    return last ? createHash('sha256').update(canonicalJson(last)).digest('base64url') : ZERO_HASH;
  }
  entry(author: Member, op: Msg): Msg {
    const e = { share: this.share, index: this.entries.length, prev: this.prev, ts: Date.now(), author: author.account, op, sig: b64(64) };
    this.entries.push(e);
    return e;
  }
  nextEpoch(): { epoch: number; keyCommit: string } {
    this.epoch += 1;
    return { epoch: this.epoch, keyCommit: b64(32) };
  }
}

export async function createShare(c: TestClient, owner: Member, share = newId()): Promise<ShareLog> {
  const log = new ShareLog(share);
  const entry = log.entry(owner, { t: 'create', owner: owner.account, boxPk: owner.boxPk, signPk: owner.sign.pk, epoch: 0, keyCommit: b64(32) });
  const r = await c.request({ type: 'share.create', share, entry, wraps: [{ epoch: 0, to: { kind: 'account', id: owner.account }, wrapped: b64(80) }] });
  if (r.type !== 'ok') throw new Error(`createShare: ${JSON.stringify(r)}`);
  return log;
}

export async function append(c: TestClient, log: ShareLog, author: Member, op: Msg, wraps: Msg[] = []): Promise<Msg> {
  const entry = log.entry(author, op);
  const r = await c.request({ type: 'log.append', share: log.share, entries: [entry], wraps });
  if (r.type !== 'ok') log.entries.pop();
  return r;
}

/** Adds an access code to the share; returns its id and verifier keys. */
export async function addCode(c: TestClient, log: ShareLog, owner: Member, opts: { readOnly?: boolean; expiresAt?: number | null } = {}) {
  const code = newId();
  const verifier = newKeys();
  const r = await append(c, log, owner, { t: 'code.create', code, verifierPk: verifier.pk, readOnly: opts.readOnly ?? false, expiresAt: opts.expiresAt ?? null, labelEnc: b64(30) });
  if (r.type !== 'ok') throw new Error(`addCode: ${JSON.stringify(r)}`);
  return { code, verifier };
}

export function record(author: { kind: 'account' | 'code'; id: string }, o: { item?: string; version?: number; baseVersion?: number; kind?: string; epoch?: number; body?: string; chunks?: string[] } = {}) {
  return {
    item: o.item ?? newId(), version: o.version ?? 1, baseVersion: o.baseVersion ?? 0, kind: o.kind ?? 'note', epoch: o.epoch ?? 0,
    author, body: o.body ?? b64(120), chunks: o.chunks ?? [], sig: b64(64),
  };
}

export const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('base64url');
export { randomBytes };

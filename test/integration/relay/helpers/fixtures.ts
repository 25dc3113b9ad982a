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

/**
 * Keeps a team roster chain on the test side. Signatures are placeholders: the relay enforces
 * chain, authorship and roles (clients verify signatures; see test/unit for those).
 */
export class RosterLog {
  entries: Msg[] = [];
  epoch = 0;
  constructor(readonly team: string) {}
  get prev(): string {
    const last = this.entries.at(-1);
    return last ? createHash('sha256').update(canonicalJson(last)).digest('base64url') : ZERO_HASH;
  }
  entry(author: Member, op: Msg): Msg {
    const e = { team: this.team, index: this.entries.length, prev: this.prev, ts: Date.now(), author: author.account, op, sig: b64(64) };
    this.entries.push(e);
    return e;
  }
  genesis(owner: Member): Msg[] {
    return [
      this.entry(owner, { t: 'genesis', owner: owner.account, boxPk: owner.boxPk, signPk: owner.sign.pk, nameEnc: b64(40), teamNameEnc: b64(40), epoch: 0, keyCommit: b64(32) }),
      this.entry(owner, { t: 'device.add', account: owner.account, device: owner.device, signPk: owner.deviceKeys.pk, cert: b64(64) }),
    ];
  }
}

export type Team = { c: TestClient; team: string; owner: Member; roster: RosterLog };

/** Opens a connection and creates a team with `owner` as first account/device (open enrollment, or `enrollment`). */
export async function createTeam(url: string, owner = newMember(), team = newId(), enrollment?: string): Promise<Team> {
  const c = await TestClient.open(url);
  await c.hello();
  const roster = new RosterLog(team);
  c.send({
    type: 'team.create', team, account: accountReg(owner), device: deviceReg(owner), roster: roster.genesis(owner),
    wraps: [{ epoch: 0, account: owner.account, wrapped: b64(80) }], ...(enrollment ? { enrollment } : {}),
    sig: c.authSig(owner.deviceKeys, team, 'team.create', owner.device),
  });
  const w = await c.next();
  if (w.type !== 'welcome') throw new Error(`createTeam: ${JSON.stringify(w)}`);
  return { c, team, owner, roster };
}

/** Appends roster entries as `author` on `c`; the local chain keeps them only if the relay did. */
export async function rosterAppend(c: TestClient, roster: RosterLog, author: Member, ops: Msg[], wraps: Msg[] = []): Promise<Msg> {
  const entries = ops.map((op) => roster.entry(author, op));
  const r = await c.request({ type: 'roster.append', entries, wraps });
  if (r.type !== 'ok') roster.entries.splice(roster.entries.length - entries.length);
  return r;
}

/** An invitation in the roster: its id and verifier keys (the secret's public half). */
export async function invite(t: Team, role: 'admin' | 'member' = 'member', opts: { expiresAt?: number; by?: Member; c?: TestClient } = {}) {
  const id = newId();
  const verifier = newKeys();
  const r = await rosterAppend(opts.c ?? t.c, t.roster, opts.by ?? t.owner, [{ t: 'invite', invite: id, verifierPk: verifier.pk, role, expiresAt: opts.expiresAt ?? Date.now() + 3600_000, epoch: t.roster.epoch, secretEnc: b64(40), cardEnc: b64(80) }]);
  if (r.type !== 'ok') throw new Error(`invite: ${JSON.stringify(r)}`);
  return { id, verifier, role };
}

/** team.join with the invitation's verifier key: the first answer (welcome of a pending device, or an error). */
export async function requestJoin(url: string, team: string, inv: { id: string; verifier: Keys }, m = newMember()): Promise<{ c: TestClient; first: Msg; m: Member }> {
  const c = await TestClient.open(url);
  await c.hello();
  c.send({ type: 'team.join', team, invite: inv.id, account: accountReg(m), device: deviceReg(m), nameEnc: b64(40), mac: b64(32), sig: c.authSig(inv.verifier, team, 'team.join', inv.id) });
  return { c, first: await c.next(), m };
}

/** Invite → join request → the owner confirms (join + device.add): a full member with a device session. */
export async function addTeamMember(url: string, t: Team, role: 'admin' | 'member' = 'member', m = newMember()): Promise<{ c: TestClient; m: Member }> {
  const inv = await invite(t, role);
  const j = await requestJoin(url, t.team, inv, m);
  if (j.first.type !== 'welcome') throw new Error(`addTeamMember: ${JSON.stringify(j.first)}`);
  const r = await rosterAppend(t.c, t.roster, t.owner, [
    { t: 'join', account: m.account, boxPk: m.boxPk, signPk: m.sign.pk, nameEnc: b64(40), nameEpoch: t.roster.epoch, invite: inv.id, role, mac: b64(32) },
    { t: 'device.add', account: m.account, device: m.device, signPk: m.deviceKeys.pk, cert: b64(64) },
  ], [{ epoch: t.roster.epoch, account: m.account, wrapped: b64(80) }]);
  if (r.type !== 'ok') throw new Error(`addTeamMember: ${JSON.stringify(r)}`);
  j.c.close();
  const d = await connectDevice(url, t.team, m);
  if (d.first.type !== 'welcome') throw new Error(`addTeamMember: ${JSON.stringify(d.first)}`);
  return { c: d.c, m };
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

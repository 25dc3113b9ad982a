/**
 * A second account in the same team and share, made at the protocol level until the sharing
 * API (core/share/) exists: the owner writes a `code.create` entry, the newcomer registers its
 * account with that code (`account.register`), the owner writes an `add` entry with the share
 * key wrapped for the newcomer. The newcomer's local bundle is then put in its own store, so
 * `launcher.unlock(password)` opens it like any other device.
 */
import WebSocket from 'ws';
import { sessionOf } from '../../../../core/vault/api.js';
import { nextEntry } from '../../../../core/vault/membership.js';
import { accountRegistration, authSig, deviceRegistration } from '../../../../core/vault/identity.js';
import { addDeviceKey, createAccount, toRelayBundle } from '../../../../core/model/account.js';
import { deriveCodeKeys, newAccessCode, verifierPublicKeyB64 } from '../../../../core/model/access-code.js';
import { wrapShareKeyForMember } from '../../../../core/model/share-keys.js';
import { TEST_KDF_COST, TEST_KDF_FLOOR, type KdfFloor } from '../../../../core/crypto/kdf.js';
import { fromB64url, toB64url } from '../../../../core/encoding.js';
import { newId, type AccountId, type DeviceId, type ShareId } from '../../../../core/ids.js';
import type { BoxPublicKey } from '../../../../core/crypto/key-types.js';
import type { VaultApi } from '../../../../core/vault-api.js';
import { waitFor, type SimDevice } from './devices.js';

function rpc(ws: WebSocket) {
  let id = 1;
  const waiters = new Map<number, (m: Record<string, unknown>) => void>();
  let onOther: ((m: Record<string, unknown>) => void) | null = null;
  ws.on('message', (d) => {
    const m = JSON.parse(d.toString()) as Record<string, unknown>;
    const w = typeof m.id === 'number' ? waiters.get(m.id) : undefined;
    if (w) w(m); else onOther?.(m);
  });
  return {
    next: () => new Promise<Record<string, unknown>>((r) => { onOther = r; }),
    send: (m: object) => ws.send(JSON.stringify(m)),
    req: (m: object) => new Promise<Record<string, unknown>>((r) => { const i = id++; waiters.set(i, r); ws.send(JSON.stringify({ ...m, id: i })); }),
  };
}

/**
 * The member's side: wait until the share is offered as an invitation, then accept it on this
 * device (core/vault/invitations.ts). Until then listShares() does not list it.
 */
export async function acceptInvitation(member: VaultApi, share: string): Promise<void> {
  await waitFor(member, async () => ((await member.invitations()).some((i) => i.share === share) ? true : undefined), `invitation to ${share}`);
  await member.acceptInvitation(share);
}

/** Add an existing account of the team to a share (an `add` entry + the share key wrapped for it). */
export async function addExistingAccount(owner: VaultApi, share: string, account: string, boxPk: string, signPk: string, role: 'editor' | 'viewer' = 'editor'): Promise<void> {
  const s = sessionOf(owner);
  const shareId = share as ShareId;
  const state = await s.syncLog(shareId);
  const key = await s.keyring.keysFor(shareId, state.epoch);
  const e = nextEntry(share, state, s.keys.account, { t: 'add', account, boxPk, signPk, role }, Date.now(), s.keys.sign.secretKey);
  const wrapped = toB64url(wrapShareKeyForMember(key, fromB64url(boxPk) as BoxPublicKey));
  await s.conn.request({ type: 'log.append', share, entries: [e], wraps: [{ epoch: state.epoch, to: { kind: 'account', id: account }, wrapped }] });
  await s.syncLog(shareId);
}

/**
 * `cost`: the newcomer's password KDF cost (the test cost by default; the real floor when a
 * browser, which refuses weaker parameters, signs in with the returned Secret Key).
 */
export async function addSecondAccount(owner: VaultApi, share: string, dev: SimDevice, password: string, role: 'editor' | 'viewer' = 'editor', cost: KdfFloor = TEST_KDF_COST): Promise<{ account: string; secretKey: string }> {
  const s = sessionOf(owner);
  const team = s.team;
  const shareId = share as ShareId;
  // 1. owner: code.create
  const code = newAccessCode();
  const ck = deriveCodeKeys(team, code, TEST_KDF_COST);
  let state = await s.shareState(shareId);
  const e1 = nextEntry(share, state, s.keys.account, { t: 'code.create', code: code.id, verifierPk: verifierPublicKeyB64(ck), readOnly: false, expiresAt: null, labelEnc: toB64url(new Uint8Array(40)) }, Date.now(), s.keys.sign.secretKey);
  await s.conn.request({ type: 'log.append', share, entries: [e1], wraps: [] });
  state = await s.syncLog(shareId);
  // 2. newcomer: code session → account.register
  const created = createAccount({ team, account: newId<AccountId>(), password, cost, floor: TEST_KDF_FLOOR });
  const bundle = { ...addDeviceKey(created.keys, created.bundle, newId<DeviceId>()), rememberedSecretKey: toB64url(created.keys.secretKey), relayUrl: s.relayUrl };
  const ws = new WebSocket(s.relayUrl);
  await new Promise((r, j) => { ws.once('open', r); ws.once('error', j); });
  const c = rpc(ws);
  const challenge = c.next();
  c.send({ type: 'hello', protocol: 1 });
  const nonce = fromB64url(String((await challenge).nonce));
  const welcome = c.next();
  c.send({ type: 'auth', method: 'code', team, code: code.id, sig: authSig(ck.verifier.secretKey, nonce, team, 'code', code.id) });
  const w = await welcome;
  if (w.type !== 'welcome') throw new Error(`code auth failed: ${JSON.stringify(w)}`);
  const reg = await c.req({ type: 'account.register', account: accountRegistration(toRelayBundle(bundle)), device: deviceRegistration(created.keys, `${dev.name}`, 'linux') });
  if (reg.type !== 'ok') throw new Error(`account.register failed: ${JSON.stringify(reg)}`);
  ws.close();
  // 3. owner: add the account with the share key wrapped for it
  const key = await s.keyring.keysFor(shareId, state.epoch);
  const e2 = nextEntry(share, state, s.keys.account, { t: 'add', account: created.keys.account, boxPk: bundle.boxPk, signPk: bundle.signPk, role }, Date.now(), s.keys.sign.secretKey);
  const wrapped = toB64url(wrapShareKeyForMember(key, fromB64url(bundle.boxPk) as BoxPublicKey));
  await s.conn.request({ type: 'log.append', share, entries: [e2], wraps: [{ epoch: state.epoch, to: { kind: 'account', id: created.keys.account }, wrapped }] });
  await s.syncLog(shareId);
  // 4. newcomer's device store
  const store = dev.openStore();
  await store.putAccount(bundle);
  await store.close();
  return { account: created.keys.account, secretKey: created.secretKey };
}

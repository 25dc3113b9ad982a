/** Account and device requests. */
import type { RequestOf } from '../protocol/index.js';
import { becomeDevice } from './auth.js';
import { deviceOf, isAdminSomewhere, Refusal } from './access.js';
import type { RelayContext } from './context.js';
import { broadcast } from './fanout/events.js';
import type { Session } from './session.js';

type Answer = Record<string, unknown>;

export async function accountRegister(ctx: RelayContext, s: Session, m: RequestOf<'account.register'>): Promise<Answer> {
  if (s.as?.kind !== 'code') throw new Refusal('NOT_ALLOWED', 'account.register needs a code session (invitation)');
  if (!(await s.store!.addAccount(m.account, m.device, ctx.clock.now()))) throw new Refusal('NOT_ALLOWED', 'account or device id exists');
  if (s.expiryTimer) clearTimeout(s.expiryTimer);
  const as = await becomeDevice(ctx, s, s.store!, m.account.id, m.device.id);
  return { as };
}

export async function accountGet(_ctx: RelayContext, s: Session): Promise<Answer> {
  const id = s.account;
  if (!id) throw new Refusal('NOT_ALLOWED', 'needs an account or device session');
  const a = await s.store!.getAccount(id);
  if (!a) throw new Refusal('NOT_FOUND', 'account gone');
  return { account: { id: a.id, signPk: a.signPk, boxPk: a.boxPk, kdf: a.kdf, keyBlob: a.keyBlob } };
}

export async function accountUpdate(_ctx: RelayContext, s: Session, m: RequestOf<'account.update'>): Promise<Answer> {
  const { account } = deviceOf(s);
  await s.store!.updateAccount(account, m.authPk, m.kdf, m.keyBlob);
  return {};
}

export async function accountList(_ctx: RelayContext, s: Session): Promise<Answer> {
  deviceOf(s);
  return { accounts: await s.store!.listAccounts() };
}

export async function accountInfo(_ctx: RelayContext, s: Session): Promise<Answer> {
  const { account } = deviceOf(s);
  const store = s.store!;
  const a = await store.getAccount(account);
  if (!a) throw new Refusal('NOT_FOUND', 'account gone');
  return {
    account: { id: a.id, signPk: a.signPk, boxPk: a.boxPk, authPk: a.authPk, kdf: a.kdf, keyBlob: a.keyBlob },
    devices: await store.listDevices(account),
    memberships: await store.memberships(account),
    wraps: await store.wrapsOfAccount(account),
  };
}

export async function accountDelete(ctx: RelayContext, s: Session): Promise<Answer> {
  const { account } = deviceOf(s);
  await s.store!.deleteAccount(account);
  // Answer first, then close every session of the account (this one included).
  setImmediate(() => broadcast(ctx, { t: 'account.deleted', team: s.team, account }));
  return {};
}

export async function deviceRegister(ctx: RelayContext, s: Session, m: RequestOf<'device.register'>): Promise<Answer> {
  if (s.as?.kind !== 'account') throw new Refusal('NOT_ALLOWED', 'device.register needs an account session');
  const account = s.as.account;
  if (!(await s.store!.addDevice(account, m.device, ctx.clock.now()))) throw new Refusal('NOT_ALLOWED', 'device id exists');
  return { as: await becomeDevice(ctx, s, s.store!, account, m.device.id) };
}

export async function deviceList(_ctx: RelayContext, s: Session, m: RequestOf<'device.list'>): Promise<Answer> {
  const { account } = deviceOf(s);
  const target = m.account ?? account;
  if (target !== account && !(await isAdminSomewhere(s, account))) throw new Refusal('NOT_ALLOWED', 'only owners and admins list other accounts');
  return { devices: await s.store!.listDevices(target) };
}

export async function deviceDeactivate(ctx: RelayContext, s: Session, m: RequestOf<'device.deactivate'>): Promise<Answer> {
  const { account } = deviceOf(s);
  const dev = await s.store!.getDevice(m.device);
  if (!dev) throw new Refusal('NOT_FOUND', 'no such device');
  if (dev.account !== account && !(await isAdminSomewhere(s, account))) throw new Refusal('NOT_ALLOWED', 'only the owner of the device or an admin');
  await s.store!.deactivateDevice(m.device);
  setImmediate(() => broadcast(ctx, { t: 'wipe', team: s.team, device: m.device }));
  return {};
}

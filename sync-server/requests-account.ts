/** Account requests: the account's own record (R15), password changes, deletion. */
import type { RequestOf } from '../protocol/index.js';
import { deviceOf, Refusal } from './access.js';
import type { RelayContext } from './context.js';
import { broadcast } from './fanout/events.js';
import type { Session } from './session.js';

type Answer = Record<string, unknown>;

/** The account's keys and KDF (new device) with every device's signed checkpoint (fresh-device rollback check). */
export async function accountGet(_ctx: RelayContext, s: Session): Promise<Answer> {
  const id = s.account;
  if (!id) throw new Refusal('NOT_ALLOWED', 'needs an account or device session');
  const a = await s.store!.getAccount(id);
  if (!a) throw new Refusal('NOT_FOUND', 'account gone');
  return { account: { id: a.id, signPk: a.signPk, boxPk: a.boxPk, kdf: a.kdf, keyBlob: a.keyBlob }, checkpoints: await s.store!.checkpoints(id) };
}

export async function accountUpdate(_ctx: RelayContext, s: Session, m: RequestOf<'account.update'>): Promise<Answer> {
  const { account } = deviceOf(s);
  await s.store!.updateAccount(account, m.authPk, m.kdf, m.keyBlob);
  return {};
}

export async function accountInfo(_ctx: RelayContext, s: Session): Promise<Answer> {
  const { account } = deviceOf(s);
  const store = s.store!;
  const a = await store.getAccount(account);
  if (!a) throw new Refusal('NOT_FOUND', 'account gone');
  return {
    account: { id: a.id, signPk: a.signPk, boxPk: a.boxPk, authPk: a.authPk, kdf: a.kdf, keyBlob: a.keyBlob },
    devices: (await store.listDevices(account)).map(({ revokedAt: _r, ...d }) => d),
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

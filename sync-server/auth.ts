/**
 * Pre-auth: hello → challenge → auth (device | code | account) | team.create | team.join |
 * account.kdf | invite.get.
 * A failed authentication is counted per source (keyed hash of the address) for rate limiting.
 */
import { randomBytes } from 'node:crypto';
import { b64urlEncode, PROTOCOL_VERSION } from '../protocol/index.js';
import type { RelayContext } from './context.js';
import { hmac, verifyEd25519 } from './crypto.js';
import { inviteGet, teamCreate, teamJoin } from './auth-team.js';
import { armExpiry, becomeDevice, enter, fail, limited, removed, revokeOrder, signed, utcDay, type PreAuth } from './session-entry.js';
import type { Session } from './session.js';


export async function handlePreAuth(ctx: RelayContext, s: Session, msg: PreAuth): Promise<void> {
  if (s.state === 'new') {
    if (msg.type !== 'hello') return s.error('NOT_AUTHENTICATED', 'send hello first');
    if (msg.protocol !== PROTOCOL_VERSION) {
      s.error('PROTOCOL_MISMATCH', `relay speaks protocol ${PROTOCOL_VERSION}`);
      return s.close(4007, 'protocol version mismatch');
    }
    s.nonce = b64urlEncode(randomBytes(32));
    s.state = 'challenged';
    return s.send({ type: 'challenge', nonce: s.nonce });
  }
  if (msg.type === 'hello') return s.error('BAD_FIELD', 'hello was already sent');
  if (msg.type === 'account.kdf') return accountKdf(ctx, s, msg);
  if (msg.type === 'invite.get') return (await limited(ctx, s, 'invite.get')) ? undefined : inviteGet(ctx, s, msg);
  const method = msg.type === 'auth' ? msg.method : msg.type;
  if (await limited(ctx, s, method)) return;
  if (msg.type === 'team.create') return teamCreate(ctx, s, msg);
  if (msg.type === 'team.join') return teamJoin(ctx, s, msg);
  const store = await ctx.storage.openTeam(msg.team);
  if (!store) return fail(ctx, s, method);
  if (msg.method === 'device') {
    const dev = await store.getDevice(msg.device);
    if (!dev || !verifyEd25519(dev.signPk, signed(s, msg.team, 'device', msg.device), msg.sig)) return fail(ctx, s, method);
    const acc = await store.getAccount(dev.account);
    if (!acc || acc.removed) return removed(ctx, s, method);
    if (!dev.active) {
      ctx.metrics.auth(method, 'wipe');
      return s.wipe(await revokeOrder(store, dev));
    }
    ctx.metrics.auth(method, 'ok');
    await becomeDevice(ctx, s, store, dev.account, dev.id);
  } else if (msg.method === 'code') {
    const code = await store.getCode(msg.code);
    if (!code || !verifyEd25519(code.verifierPk, signed(s, msg.team, 'code', msg.code), msg.sig)) return fail(ctx, s, method);
    if (code.expiresAt !== null && code.expiresAt <= ctx.clock.now()) {
      ctx.metrics.auth(method, 'expired');
      s.error('CODE_EXPIRED', 'access code expired');
      return s.close(4004, 'code expired');
    }
    ctx.metrics.auth(method, 'ok');
    await store.touchCode(code.code, utcDay(ctx.clock.now()));
    enter(ctx, s, store, { kind: 'code', code: code.code as never, share: code.share as never, readOnly: code.readOnly }, [code.share]);
    armExpiry(ctx, s, code.expiresAt);
  } else {
    const acc = await store.getAccount(msg.account);
    if (!acc || !verifyEd25519(acc.authPk, signed(s, msg.team, 'account', msg.account), msg.sig)) return fail(ctx, s, method);
    if (acc.removed) return removed(ctx, s, method);
    ctx.metrics.auth(method, 'ok');
    enter(ctx, s, store, { kind: 'account', account: acc.id as never }, []);
  }
}

/** KDF params of an account; for unknown accounts a stable fake (keyed by the relay secret) so ids cannot be probed. */
async function accountKdf(ctx: RelayContext, s: Session, msg: Extract<PreAuth, { type: 'account.kdf' }>): Promise<void> {
  const store = await ctx.storage.openTeam(msg.team);
  const acc = store ? await store.getAccount(msg.account) : null;
  const kdf = acc?.kdf ?? {
    alg: 'argon2id13' as const,
    salt: b64urlEncode(hmac(ctx.secret, 'kdf', msg.team, msg.account).subarray(0, 16)),
    opslimit: 3,
    memlimit: 256 * 1024 * 1024,
  };
  s.send({ type: 'ok', id: msg.id, kdf });
}

/** Routes one inbound frame of a session: parse with the protocol schemas, check state, call the handler. */
import { isRequestType, parseChunkPut, parseClientObject, parseJsonObject, rawRequestId, type AnyRequest, type RequestType } from '../protocol/index.js';
import { Refusal } from './access.js';
import { handlePreAuth } from './auth.js';
import { revokeOrder } from './session-entry.js';
import type { RelayContext } from './context.js';
import { fastPush } from './push-frame.js';
import { classifyStorageError } from './storage/storage-fault.js';
import * as acc from './requests-account.js';
import * as sh from './requests-share.js';
import * as team from './requests-team.js';
import type { Session } from './session.js';

type Handler = (ctx: RelayContext, s: Session, m: never) => Promise<Record<string, unknown> | null>;
const HANDLERS: Record<RequestType, Handler> = {
  'account.get': acc.accountGet,
  'account.update': acc.accountUpdate,
  'account.info': acc.accountInfo,
  'account.delete': acc.accountDelete,
  'device.register': team.deviceRegister,
  'device.list': team.deviceList,
  'roster.get': team.rosterGet,
  'roster.append': team.rosterAppend,
  'join.list': team.joinList,
  'join.reject': team.joinReject,
  'checkpoint.put': team.checkpointPut,
  'share.create': sh.shareCreate,
  'share.delete': sh.shareDelete,
  'log.append': sh.logAppend,
  'log.get': sh.logGet,
  'keys.get': sh.keysGet,
  'keys.drop': sh.keysDrop,
  'code.usage': sh.codeUsage,
  push: sh.push,
  pull: sh.pull,
  history: sh.history,
  'chunk.has': sh.chunkHas,
  'chunk.get': sh.chunkGet,
  ping: async () => ({}),
};

/** Requests that write: one that succeeds shows the disk has room again. */
const WRITES = new Set(['push', 'chunk.put', 'log.append', 'share.create', 'account.register', 'device.register', 'account.update']);

async function run(ctx: RelayContext, s: Session, id: number, type: string, fn: () => Promise<Record<string, unknown> | null>): Promise<void> {
  try {
    const out = await fn();
    if (WRITES.has(type)) ctx.health.writeOk();
    if (out) s.send({ type: 'ok', id, ...out });
  } catch (e) {
    replyToFailure(ctx, s, e, id);
  }
}

/**
 * The answer to a request (or frame, `id` absent) that threw: a Refusal's code; a storage fault's
 * typed code (STORAGE_FULL, STORAGE_UNAVAILABLE), counted and logged once per interval by
 * ctx.health; anything else INTERNAL, logged without ids.
 */
export function replyToFailure(ctx: RelayContext, s: Session, e: unknown, id?: number): void {
  if (e instanceof Refusal) return s.error(e.code, e.message, id);
  const f = classifyStorageError(e);
  if (f) {
    ctx.health.fault(f.code);
    return s.error(f.code, f.code === 'STORAGE_FULL' ? 'relay storage full; nothing was stored, retry later' : 'team storage unavailable', id);
  }
  ctx.log.error({ event: 'handler_failed', err: { name: (e as Error)?.name, code: (e as { code?: unknown })?.code } }, 'request failed');
  s.error('INTERNAL', 'internal error', id);
}

export async function handleText(ctx: RelayContext, s: Session, text: string): Promise<void> {
  const raw = parseJsonObject(text, ctx.limits.maxTextFrame);
  if (!raw.ok) {
    ctx.metrics.message('unknown');
    return s.error(raw.code, raw.message);
  }
  ctx.metrics.message(raw.value.type);
  const id = rawRequestId(raw.value);
  const push = raw.value.type === 'push' ? fastPush(raw.value) : null;
  const msg = push ? { ok: true as const, value: push } : parseClientObject(raw.value);
  if (!msg.ok) return s.error(msg.code, msg.message, id);
  const m = msg.value;
  if (s.state !== 'authed') {
    await settleWrites(s);
    if (isRequestType(m.type)) return s.error('NOT_AUTHENTICATED', 'authenticate first', id);
    s.attempt = authAttempt(m);
    return handlePreAuth(ctx, s, m as Parameters<typeof handlePreAuth>[2]);
  }
  if (!isRequestType(m.type)) return s.error(m.type === 'account.kdf' || m.type === 'invite.get' ? 'NOT_ALLOWED' : 'BAD_FIELD', `${m.type} only before auth`, id);
  const req = m as AnyRequest;
  const handler = HANDLERS[req.type];
  if (s.inflight.size >= ctx.limits.maxInflight) await settleWrites(s);
  if (req.type === 'push' && !ctx.storage.serialWrites) return startWrite(s, run(ctx, s, req.id, req.type, () => handler(ctx, s, req as never)));
  await settleWrites(s);
  if (ctx.storage.serialWrites && !(await stillActive(s))) return;
  await run(ctx, s, req.id, req.type, () => handler(ctx, s, req as never));
}

/**
 * Several instances share a networked database: a device deactivated through another instance
 * is refused here on its next request even if that instance's fan-out message never arrived
 * (roles and codes are read from the database on every request already).
 */
async function stillActive(s: Session): Promise<boolean> {
  if (s.as?.kind !== 'device') return true;
  const dev = await s.store!.getDevice(s.as.device);
  if (dev?.active) return true;
  s.wipe(dev ? await revokeOrder(s.store!, dev) : undefined);
  return false;
}

/** The (team, credential) an authentication attempt names: with the source network, its rate-limit key. */
function authAttempt(m: { type: string } & Record<string, unknown>): { team: string; credential: string } {
  const team = typeof m.team === 'string' ? m.team : '';
  if (m.type === 'team.create') return { team, credential: `team.create:${(m.device as { id?: string } | undefined)?.id ?? ''}` };
  if (m.type === 'team.join' || m.type === 'invite.get') return { team, credential: `${m.type}:${typeof m.invite === 'string' ? m.invite : ''}` };
  const method = typeof m.method === 'string' ? m.method : m.type;
  const id = m.method === 'device' ? m.device : m.method === 'code' ? m.code : m.account;
  return { team, credential: `${method}:${typeof id === 'string' ? id : ''}` };
}

/**
 * A write is issued to storage synchronously within this turn (SQLite checks run in microtasks),
 * so the next frame — handled in a later turn — is ordered after it, yet the session does not
 * wait for the commit: pipelined writes share one group commit. Reads wait (read-your-writes).
 */
function startWrite(s: Session, p: Promise<void>): void {
  s.inflight.add(p);
  void p.finally(() => s.inflight.delete(p));
}
async function settleWrites(s: Session): Promise<void> {
  if (s.inflight.size) await Promise.all(s.inflight);
}

export async function handleBinary(ctx: RelayContext, s: Session, frame: Uint8Array): Promise<void> {
  ctx.metrics.message('chunk.put');
  if (frame.length > ctx.limits.maxBinaryFrame) return s.error('TOO_LARGE', `binary frame exceeds ${ctx.limits.maxBinaryFrame} bytes`);
  const f = parseChunkPut(frame, ctx.limits.maxChunk);
  if (!f.ok) return s.error(f.code, f.message);
  if (s.state !== 'authed') return s.error('NOT_AUTHENTICATED', 'authenticate first', f.value.header.id);
  const put = () => run(ctx, s, f.value.header.id, 'chunk.put', () => sh.chunkPut(ctx, s, f.value.header, f.value.bytes));
  if (s.inflight.size >= ctx.limits.maxInflight) await settleWrites(s);
  if (ctx.storage.serialWrites) return settleWrites(s).then(put);
  startWrite(s, put());
}

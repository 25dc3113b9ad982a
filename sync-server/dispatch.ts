/** Routes one inbound frame of a session: parse with the protocol schemas, check state, call the handler. */
import { isRequestType, parseChunkPut, parseClientObject, parseJsonObject, rawRequestId, type AnyRequest, type RequestType } from '../protocol/index.js';
import { Refusal } from './access.js';
import { handlePreAuth } from './auth.js';
import type { RelayContext } from './context.js';
import { fastPush } from './push-frame.js';
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
  push: sh.push,
  pull: sh.pull,
  history: sh.history,
  'chunk.has': sh.chunkHas,
  'chunk.get': sh.chunkGet,
  ping: async () => ({}),
};

async function run(ctx: RelayContext, s: Session, id: number, fn: () => Promise<Record<string, unknown> | null>): Promise<void> {
  try {
    const out = await fn();
    if (out) s.send({ type: 'ok', id, ...out });
  } catch (e) {
    if (e instanceof Refusal) return s.error(e.code, e.message, id);
    ctx.log.error({ event: 'handler_failed', err: { name: (e as Error)?.name, code: (e as { code?: unknown })?.code } }, 'request failed');
    s.error('INTERNAL', 'internal error', id);
  }
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
    return handlePreAuth(ctx, s, m as Parameters<typeof handlePreAuth>[2]);
  }
  if (!isRequestType(m.type)) return s.error(m.type === 'account.kdf' || m.type === 'invite.get' ? 'NOT_ALLOWED' : 'BAD_FIELD', `${m.type} only before auth`, id);
  const req = m as AnyRequest;
  const handler = HANDLERS[req.type];
  if (req.type === 'push' && !ctx.storage.serialWrites) return startWrite(s, run(ctx, s, req.id, () => handler(ctx, s, req as never)));
  await settleWrites(s);
  await run(ctx, s, req.id, () => handler(ctx, s, req as never));
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
  const put = () => run(ctx, s, f.value.header.id, () => sh.chunkPut(ctx, s, f.value.header, f.value.bytes));
  if (ctx.storage.serialWrites) return settleWrites(s).then(put);
  startWrite(s, put());
}

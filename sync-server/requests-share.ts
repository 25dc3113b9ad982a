/** Share requests: membership log, keys, records and chunks. */
import { encodeBinaryFrame, type ChunkPutHeader, type LogEntry, type RequestOf, type Wrap } from '../protocol/index.js';
import { authorOf, canRead, canWrite, memberOf, Refusal } from './access.js';
import type { RelayContext } from './context.js';
import { sha256b64url } from './crypto.js';
import { broadcast } from './fanout/events.js';
import type { LogEffects } from './membership.js';
import type { Session } from './session.js';
import { generationTag } from './generation.js';

type Answer = Record<string, unknown> | null;

/** After a log change: close what relied on removed codes/members, refresh share sets, notify readers. */
async function afterLog(ctx: RelayContext, s: Session, share: string, index: number, fx: LogEffects): Promise<void> {
  broadcast(ctx, {
    t: 'log', team: s.team, share, index, notice: true,
    codes: fx.removedCodes.map((c) => [c.code, c.reason]), blocked: fx.removedMembers, members: fx.setMembers.map((m) => m.account),
  });
}

/**
 * A share may only add active team members, with the keys the team roster holds for them (the
 * relay's copy; clients check the signed roster themselves): no share key is ever wrapped for
 * an account outside the team or a pending join.
 */
async function checkAdds(s: Session, entries: LogEntry[]): Promise<void> {
  for (const e of entries) {
    if (e.op.t !== 'add') continue;
    const a = await s.store!.getAccount(e.op.account);
    if (!a || a.teamRole === null || a.removed) throw new Refusal('NOT_ALLOWED', 'add: the account is not an active team member');
    if (a.signPk !== e.op.signPk || a.boxPk !== e.op.boxPk) throw new Refusal('NOT_ALLOWED', "add: keys differ from the team member's");
  }
}

async function append(ctx: RelayContext, s: Session, share: string, entries: LogEntry[], wraps: Wrap[]): Promise<Answer> {
  const { account } = await memberOf(s);
  await checkAdds(s, entries);
  const r = await s.store!.applyLogEntries(share, account, entries, wraps, ctx.clock.now());
  if (!r.ok) throw new Refusal(r.code, r.code === 'LOG_CONFLICT' ? `${r.message}; head ${r.head ?? 0}` : r.message);
  await afterLog(ctx, s, share, r.index, r.effects);
  return { index: r.index, head: r.index + 1 };
}

export async function shareCreate(ctx: RelayContext, s: Session, m: RequestOf<'share.create'>): Promise<Answer> {
  await memberOf(s);
  if (m.entry.op.t !== 'create') throw new Refusal('BAD_FIELD', 'share.create: entry must be a create op');
  if (await s.store!.shareExists(m.share)) throw new Refusal('LOG_CONFLICT', 'share exists');
  return append(ctx, s, m.share, [m.entry], m.wraps);
}

export async function logAppend(ctx: RelayContext, s: Session, m: RequestOf<'log.append'>): Promise<Answer> {
  await canRead(ctx, s, m.share);
  return append(ctx, s, m.share, m.entries, m.wraps);
}

export async function shareDelete(ctx: RelayContext, s: Session, m: RequestOf<'share.delete'>): Promise<Answer> {
  const r = await canRead(ctx, s, m.share);
  if (r.role !== 'owner') throw new Refusal('NOT_ALLOWED', 'only the owner deletes a share');
  await s.store!.deleteShare(m.share);
  broadcast(ctx, { t: 'share.deleted', team: s.team, share: m.share });
  return {};
}

export async function logGet(ctx: RelayContext, s: Session, m: RequestOf<'log.get'>): Promise<Answer> {
  await canRead(ctx, s, m.share);
  return { entries: await s.store!.getLog(m.share, m.since) };
}

export async function keysGet(ctx: RelayContext, s: Session, m: RequestOf<'keys.get'>): Promise<Answer> {
  await canRead(ctx, s, m.share);
  return { wraps: await s.store!.getWraps(m.share, authorOf(s)) };
}

/** Owner/admin: last use (UTC day) and open sessions of each live code of the share. */
export async function codeUsage(ctx: RelayContext, s: Session, m: RequestOf<'code.usage'>): Promise<Answer> {
  const r = await canRead(ctx, s, m.share);
  if (r.role !== 'owner' && r.role !== 'admin') throw new Refusal('NOT_ALLOWED', 'only an owner or admin sees how codes are used');
  const open = new Map<string, number>();
  for (const x of ctx.registry.of(s.team)) if (x.as?.kind === 'code' && x.state === 'authed') open.set(x.as.code, (open.get(x.as.code) ?? 0) + 1);
  const codes = await s.store!.codesOf(m.share);
  return { codes: codes.map((c) => ({ code: c.code, lastUsedDay: c.lastUsedDay, openSessions: open.get(c.code) ?? 0 })) };
}

export async function keysDrop(ctx: RelayContext, s: Session, m: RequestOf<'keys.drop'>): Promise<Answer> {
  const r = await canRead(ctx, s, m.share);
  if (r.role !== 'owner' && r.role !== 'admin') throw new Refusal('NOT_ALLOWED', 'only an owner or admin drops old keys');
  const out = await s.store!.dropKeys(m.share, m.below);
  if (!out.ok) throw new Refusal(out.code, out.message);
  return { wraps: out.wraps, versions: out.versions, bytes: out.bytes };
}

export async function push(ctx: RelayContext, s: Session, m: RequestOf<'push'>): Promise<Answer> {
  await canWrite(ctx, s, m.share);
  const me = authorOf(s);
  for (const r of m.records) {
    if (r.author.kind !== me.kind || r.author.id !== me.id) throw new Refusal('NOT_ALLOWED', 'record author is not the session');
    if (r.kind === 'tombstone' && r.chunks.length) throw new Refusal('BAD_FIELD', 'a tombstone carries no chunks');
  }
  // Tombstones add nothing (and free room): a full relay still lets its teams delete.
  const adding = m.records.reduce((a, r) => a + (r.kind === 'tombstone' ? 0 : r.body.length), 0);
  const out = await ctx.caps.withBytes(adding, () => s.store!.pushRecords(m.share, m.records, ctx.limits.retention, ctx.limits.quotaBytes));
  if (!out) throw new Refusal('RELAY_QUOTA', 'push: the relay\'s storage cap would be exceeded; nothing was stored');
  if (!out.ok) {
    if (out.code === 'CONFLICT' && 'item' in out) {
      ctx.metrics.error('CONFLICT');
      s.send({ type: 'conflict', id: m.id, item: out.item, head: out.head });
      return null;
    }
    throw new Refusal(out.code, out.message);
  }
  ctx.metrics.records.inc(m.records.length);
  if (out.changed) broadcast(ctx, { t: 'changed', team: s.team, share: m.share, seq: out.head, ...(await generationTag(ctx)) }, s);
  return { acks: m.records.map((r, i) => ({ item: r.item, version: r.version, seq: out.seqs[i] })), seqs: out.seqs };
}

export async function pull(ctx: RelayContext, s: Session, m: RequestOf<'pull'>): Promise<Answer> {
  await canRead(ctx, s, m.share);
  return { ...(await s.store!.pull(m.share, m.since, Math.min(m.limit ?? ctx.limits.maxPullLimit, ctx.limits.maxPullLimit))), ...(await generationTag(ctx)) };
}

export async function history(ctx: RelayContext, s: Session, m: RequestOf<'history'>): Promise<Answer> {
  await canRead(ctx, s, m.share);
  return { records: await s.store!.history(m.share, m.item) };
}

export async function chunkHas(ctx: RelayContext, s: Session, m: RequestOf<'chunk.has'>): Promise<Answer> {
  await canRead(ctx, s, m.share);
  return { has: await s.store!.hasChunks(m.share, m.hashes, ctx.clock.now()) };
}

export async function chunkGet(ctx: RelayContext, s: Session, m: RequestOf<'chunk.get'>): Promise<Answer> {
  await canRead(ctx, s, m.share);
  const bytes = await s.store!.getChunk(m.share, m.hash);
  if (!bytes) throw new Refusal('NOT_FOUND', 'no such chunk');
  s.sendBinary(encodeBinaryFrame({ type: 'chunk', id: m.id, hash: m.hash }, bytes));
  return null;
}

export async function chunkPut(ctx: RelayContext, s: Session, h: ChunkPutHeader, bytes: Uint8Array): Promise<Answer> {
  await canWrite(ctx, s, h.share);
  if (sha256b64url(bytes) !== h.hash) throw new Refusal('HASH_MISMATCH', 'chunk bytes do not match the hash');
  const r = await ctx.caps.withBytes(bytes.length, () => s.store!.putChunk(h.share, h.hash, bytes, ctx.limits.quotaBytes, ctx.clock.now()));
  if (r === null) throw new Refusal('RELAY_QUOTA', 'chunk.put: the relay\'s storage cap would be exceeded; nothing was stored');
  if (r === 'quota') throw new Refusal('QUOTA_EXCEEDED', 'team storage quota exceeded');
  if (r === 'stored') ctx.metrics.chunkBytes.inc(bytes.length);
  return { hash: h.hash };
}

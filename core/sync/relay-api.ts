/**
 * Typed relay requests used by the engine. The ONLY place that knows request and answer fields;
 * every answer is validated with the protocol/ `Results` schemas, and every record is parsed
 * with the model's envelope schema. On the wire `author` is the account id (PushRecord); in the
 * core it is `{kind: 'account', id}` (that is what the record signature covers).
 */
import type { z } from 'zod';
import { Results } from '../../protocol/index.js';
import { VaultError } from '../errors.js';
import { parseRecordEnvelope, type RecordEnvelope } from '../model/record.js';
import type { Connection } from './connection.js';

export interface PulledRecord {
  envelope: RecordEnvelope;
  seq: number;
}

function check<S extends z.ZodType>(fn: string, schema: S, value: unknown): z.infer<S> {
  const r = schema.safeParse(value);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new VaultError('BAD_FORMAT', `${fn}: bad relay answer (${i?.path.join('.') ?? ''} ${i?.message ?? ''})`);
  }
  return r.data;
}

/** Envelope → wire PushRecord (same shape). */
export function toWire(env: RecordEnvelope): Record<string, unknown> {
  return { ...env, author: { ...env.author }, chunks: [...env.chunks] };
}

/** Wire StoredRecord → envelope + seq (re-parsed with the model's schema). */
export function fromWire(raw: { seq: number } & Record<string, unknown>): PulledRecord {
  const { seq, ...rest } = raw;
  return { envelope: parseRecordEnvelope(rest), seq };
}

export type PushResult = { ok: true; seq: number } | { ok: false; head: PulledRecord | null };

/** Push one record. A stale baseVersion yields `{ok: false, head}` (the relay's current head). */
export async function pushRecord(conn: Connection, share: string, env: RecordEnvelope): Promise<PushResult> {
  const ans = await conn.requestAllowConflict({ type: 'push', share, records: [toWire(env)] });
  if (ans.type === 'conflict') return { ok: false, head: ans.head ? fromWire(ans.head) : null };
  const seq = check('pushRecord', Results.push, ans).seqs[0];
  if (seq === undefined) throw new VaultError('BAD_FORMAT', 'pushRecord: no seq for the pushed record');
  return { ok: true, seq };
}

/** Push several records at once (all-or-nothing on the relay); a conflict → `{ok: false}`. */
export async function pushRecords(conn: Connection, share: string, envs: RecordEnvelope[]): Promise<{ ok: true; seqs: number[] } | { ok: false }> {
  const ans = await conn.requestAllowConflict({ type: 'push', share, records: envs.map(toWire) });
  if (ans.type === 'conflict') return { ok: false };
  const seqs = check('pushRecords', Results.push, ans).seqs;
  if (seqs.length !== envs.length) throw new VaultError('BAD_FORMAT', 'pushRecords: seq count differs from record count');
  return { ok: true, seqs };
}

/** One page of changes after `since`. */
export async function pullPage(conn: Connection, share: string, since: number, limit = 500): Promise<{ records: PulledRecord[]; head: number; more: boolean; generation?: string }> {
  const a = check('pullPage', Results.pull, await conn.request({ type: 'pull', share, since, limit }));
  return { records: a.records.map(fromWire), head: a.head, more: a.more, ...(a.generation ? { generation: a.generation } : {}) };
}

/** Older versions of an item (ciphertext), as the relay keeps them. */
export async function fetchHistory(conn: Connection, share: string, item: string): Promise<PulledRecord[]> {
  return check('fetchHistory', Results.history, await conn.request({ type: 'history', share, item })).records.map(fromWire);
}

/** Which of `hashes` the relay holds (same order). */
export async function chunkHas(conn: Connection, share: string, hashes: string[]): Promise<boolean[]> {
  const out: boolean[] = [];
  for (let i = 0; i < hashes.length; i += 1000) {
    const part = hashes.slice(i, i + 1000);
    const has = check('chunkHas', Results['chunk.has'], await conn.request({ type: 'chunk.has', share, hashes: part })).has;
    if (has.length !== part.length) throw new VaultError('BAD_FORMAT', 'chunkHas: answer length differs from the question');
    out.push(...has);
  }
  return out;
}

/** Membership log entries with index ≥ since (schema-checked; the caller verifies them). */
export async function fetchLog(conn: Connection, share: string, since: number) {
  return check('fetchLog', Results['log.get'], await conn.request({ type: 'log.get', share, since })).entries;
}

/** Wrapped epoch keys addressed to the caller. */
export async function fetchKeys(conn: Connection, share: string) {
  return check('fetchKeys', Results['keys.get'], await conn.request({ type: 'keys.get', share })).wraps;
}

/** keys.drop: the relay deletes wrapped keys of epochs < below and older versions under them (owner/admin). */
export async function dropOldKeys(conn: Connection, share: string, below: number) {
  return check('dropOldKeys', Results['keys.drop'], await conn.request({ type: 'keys.drop', share, below }));
}

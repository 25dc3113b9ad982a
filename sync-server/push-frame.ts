/**
 * A fast path for the frame the relay sees most: `push`. Checking it by hand costs a fraction of
 * the zod schema's walk. It accepts exactly what `Requests.push` (protocol/messages-client.ts,
 * with the primitives of protocol/primitives.ts) accepts and returns the value the schema would
 * return (fresh objects, keys in schema order). Anything it does not accept returns null and the
 * caller parses with the schema, which decides and names the error — so a disagreement can only
 * cost speed, never let a frame through that the schema refuses. Keep it in step with the schema.
 */
import { DEFAULT_LIMITS, type RequestOf } from '../protocol/index.js';

// the patterns of protocol/primitives.ts
const B64 = /^[A-Za-z0-9_-]*$/;
const ID_RE = /^[A-Za-z0-9_-]{21}[AQgw]$/;
const B32_RE = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/;
const B64_RE = /^[A-Za-z0-9_-]{85}[AQgw]$/;
const MAX_CHUNKS = 100_000;
const I31 = 2 ** 31;

type Push = RequestOf<'push'>;
type Rec = Push['records'][number];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** z.int().min(min).max(max) */
const isInt = (v: unknown, min: number, max: number): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max;
const matches = (v: unknown, re: RegExp): v is string => typeof v === 'string' && re.test(v);
/** strictObject: exactly these own keys (every one required: none of these schemas has optional fields). */
function hasExactly(o: Record<string, unknown>, keys: readonly string[]): boolean {
  let n = 0;
  for (const k in o) {
    if (!Object.hasOwn(o, k) || !keys.includes(k)) return false;
    n++;
  }
  return n === keys.length;
}

const PUSH_KEYS = ['type', 'id', 'share', 'records'] as const;
const RECORD_KEYS = ['item', 'version', 'baseVersion', 'kind', 'epoch', 'author', 'body', 'chunks', 'sig'] as const;
const AUTHOR_KEYS = ['kind', 'id'] as const;

function record(r: unknown): Rec | null {
  if (!isObject(r) || !hasExactly(r, RECORD_KEYS)) return null;
  const { item, version, baseVersion, kind, epoch, author, body, chunks, sig } = r;
  if (!matches(item, ID_RE) || !isInt(version, 1, I31) || !isInt(baseVersion, 0, I31) || !isInt(epoch, 0, I31)) return null;
  if (kind !== 'note' && kind !== 'file' && kind !== 'tombstone') return null;
  if (!isObject(author) || !hasExactly(author, AUTHOR_KEYS) || (author.kind !== 'account' && author.kind !== 'code') || !matches(author.id, ID_RE)) return null;
  if (typeof body !== 'string' || body.length > DEFAULT_LIMITS.maxBodyChars || !B64.test(body)) return null;
  if (!Array.isArray(chunks) || chunks.length > MAX_CHUNKS) return null;
  for (const h of chunks) if (!matches(h, B32_RE)) return null;
  if (!matches(sig, B64_RE)) return null;
  return { item, version, baseVersion, kind, epoch, author: { kind: author.kind, id: author.id }, body, chunks: [...chunks], sig } as Rec;
}

/** The validated push if `obj` is one the schema accepts as is; null = let the schema decide. */
export function fastPush(obj: Record<string, unknown>): Push | null {
  if (obj.type !== 'push' || !hasExactly(obj, PUSH_KEYS)) return null;
  const { id, share, records } = obj;
  if (!isInt(id, 1, I31 - 1) || !matches(share, ID_RE)) return null;
  if (!Array.isArray(records) || records.length < 1 || records.length > DEFAULT_LIMITS.maxPushRecords) return null;
  const out: Rec[] = [];
  for (const r of records) {
    const v = record(r);
    if (!v) return null;
    out.push(v);
  }
  return { type: 'push', id, share, records: out } as Push;
}

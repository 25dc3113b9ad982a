/**
 * Parse functions for every inbound message. They return ParseResult — a typed value or a
 * typed error code (BAD_FRAME, UNKNOWN_TYPE, BAD_FIELD, TOO_LARGE) — and never throw.
 */
import type { z } from 'zod';
import { type ParseResult, parseFail } from './errors.js';
import { DEFAULT_LIMITS } from './limits.js';
import { AccountKdf, Auth, Hello, InviteGet, Requests, TeamCreate, TeamJoin, type ClientMessage, type RequestType } from './messages-client.js';
import { ServerMessage } from './messages-server.js';

const PRE_AUTH = { hello: Hello, auth: Auth, 'team.create': TeamCreate, 'team.join': TeamJoin, 'account.kdf': AccountKdf, 'invite.get': InviteGet } as const;

/** Short human description of the first schema issues (paths, not values: no content is echoed). */
function describe(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}

/** Parses JSON text into an object with a string `type`; BAD_FRAME if it is not that. */
export function parseJsonObject(text: string, maxChars = DEFAULT_LIMITS.maxTextFrame): ParseResult<Record<string, unknown> & { type: string }> {
  if (typeof text !== 'string') return parseFail('BAD_FRAME', 'frame is not text');
  if (text.length > maxChars) return parseFail('TOO_LARGE', `frame exceeds ${maxChars} characters`);
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return parseFail('BAD_FRAME', 'frame is not valid JSON');
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return parseFail('BAD_FRAME', 'frame is not a JSON object');
  const type = (v as Record<string, unknown>).type;
  if (typeof type !== 'string') return parseFail('BAD_FIELD', 'type: missing or not a string');
  return { ok: true, value: v as Record<string, unknown> & { type: string } };
}

/** Request id of a raw object if it is a valid one (to answer errors with the same id). */
export function rawRequestId(obj: Record<string, unknown>): number | undefined {
  const id = obj.id;
  return typeof id === 'number' && Number.isInteger(id) && id >= 1 && id < 2 ** 31 ? id : undefined;
}

export function isRequestType(type: string): type is RequestType {
  return Object.hasOwn(Requests, type);
}

/** Validates an already JSON-parsed client object against the schema for its `type`. */
export function parseClientObject(obj: Record<string, unknown> & { type: string }): ParseResult<ClientMessage> {
  const schema: z.ZodType | undefined = Object.hasOwn(PRE_AUTH, obj.type)
    ? PRE_AUTH[obj.type as keyof typeof PRE_AUTH]
    : isRequestType(obj.type)
      ? Requests[obj.type]
      : undefined;
  if (!schema) return parseFail('UNKNOWN_TYPE', `unknown message type`);
  const r = schema.safeParse(obj);
  if (!r.success) return parseFail('BAD_FIELD', `${obj.type}: ${describe(r.error)}`);
  return { ok: true, value: r.data as ClientMessage };
}

/** JSON text → a validated client message. */
export function parseClientMessage(text: string, maxChars?: number): ParseResult<ClientMessage> {
  const o = parseJsonObject(text, maxChars);
  return o.ok ? parseClientObject(o.value) : o;
}

/** JSON text → a validated relay message (for the client). `ok` answers keep their extra fields. */
export function parseServerMessage(text: string): ParseResult<ServerMessage> {
  const o = parseJsonObject(text, Number.MAX_SAFE_INTEGER);
  if (!o.ok) return o;
  const r = ServerMessage.safeParse(o.value);
  if (!r.success) {
    const known = ['challenge', 'welcome', 'wipe', 'closing', 'error', 'conflict', 'changed', 'log', 'roster', 'joinrequest', 'ok'];
    return parseFail(known.includes(o.value.type) ? 'BAD_FIELD' : 'UNKNOWN_TYPE', describe(r.error));
  }
  return { ok: true, value: r.data };
}

/** Validates any value against a schema, as a ParseResult (e.g. `parseWith(Results.pull, msg)`). */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown): ParseResult<z.infer<S>> {
  const r = schema.safeParse(value);
  return r.success ? { ok: true, value: r.data } : parseFail('BAD_FIELD', describe(r.error));
}

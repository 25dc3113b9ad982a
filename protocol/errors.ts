/** Error codes carried in `{type:'error', code}` answers, and WebSocket close codes. */
export const ERROR_CODES = [
  'BAD_FRAME',
  'UNKNOWN_TYPE',
  'BAD_FIELD',
  'TOO_LARGE',
  'NOT_AUTHENTICATED',
  'AUTH_FAILED',
  'NOT_FOUND',
  'NOT_ALLOWED',
  'READ_ONLY',
  'CODE_EXPIRED',
  'CONFLICT',
  'LOG_CONFLICT',
  'EPOCH_IN_USE',
  'QUOTA_EXCEEDED',
  'RATE_LIMITED',
  'HASH_MISMATCH',
  'PROTOCOL_MISMATCH',
  'INTERNAL',
  'ENROLLMENT_REQUIRED',
  'INVITE_INVALID',
  'INVITE_EXPIRED',
  'JOIN_PENDING',
  'MEMBER_REMOVED',
  /** The team's database cannot be opened or failed its integrity check; other teams are served. */
  'STORAGE_UNAVAILABLE',
  /** The relay's disk is full: nothing was stored; retry later. */
  'STORAGE_FULL',
  /** Too many requests in flight or answers unread on this connection (the connection is closed with 4011). */
  'OVERLOADED',
  /** A push referenced a chunk the relay does not hold (upload it, then push again). */
  'CHUNK_MISSING',
  /** The relay holds its operator's maximum of teams: team.create is refused (no team was made). */
  'RELAY_FULL',
  /** The relay's stored bytes would pass its operator's cap: nothing was stored; retry once room is made. */
  'RELAY_QUOTA',
] as const;
export type RelayErrorCode = (typeof ERROR_CODES)[number];

export const CLOSE = {
  /** ws standard: message too big (sent by `ws` itself for oversize frames). */
  TOO_BIG: 1009,
  PROTOCOL_ERROR: 4000,
  AUTH_FAILED: 4001,
  CODE_ROTATED: 4002,
  CODE_REVOKED: 4003,
  CODE_EXPIRED: 4004,
  MEMBER_BLOCKED: 4005,
  DEVICE_WIPED: 4006,
  PROTOCOL_TOO_OLD: 4007,
  RATE_LIMITED: 4008,
  ACCOUNT_DELETED: 4009,
  SHARE_DELETED: 4010,
  /** The peer does not read its answers or sends too many requests at once (backpressure). */
  OVERLOADED: 4011,
  MEMBER_REMOVED: 4012,
} as const;
export type CloseCode = (typeof CLOSE)[keyof typeof CLOSE];

/** Result of every protocol parse function: a typed value or a typed error, never a throw. */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; code: RelayErrorCode; message: string };

export function parseFail(code: RelayErrorCode, message: string): { ok: false; code: RelayErrorCode; message: string } {
  return { ok: false, code, message };
}

/**
 * Relay close codes (protocol/README.md) → typed VaultErrors. A terminal code means the relay
 * refused this device or code for good: the connection manager stops reconnecting and reports
 * the error; only a new sign-in (or a new code) can help.
 */
import { VaultError, type VaultErrorCode } from '../errors.js';

export interface CloseMeaning {
  code: VaultErrorCode;
  terminal: boolean;
  text: string;
}

const CLOSE_CODES: Record<number, CloseMeaning> = {
  4000: { code: 'PROTOCOL_MISMATCH', terminal: false, text: 'protocol error' },
  4001: { code: 'NOT_ALLOWED', terminal: true, text: 'authentication failed' },
  4002: { code: 'CODE_ROTATED', terminal: true, text: 'the access code was rotated' },
  4003: { code: 'CODE_REVOKED', terminal: true, text: 'the access code was revoked' },
  4004: { code: 'CODE_EXPIRED', terminal: true, text: 'the access code expired' },
  4005: { code: 'MEMBER_BLOCKED', terminal: true, text: 'this member was blocked' },
  4006: { code: 'DEVICE_WIPED', terminal: true, text: 'this device was deactivated' },
  4007: { code: 'PROTOCOL_MISMATCH', terminal: true, text: 'the relay speaks another protocol version' },
  4008: { code: 'RATE_LIMITED', terminal: true, text: 'too many attempts; try again later' },
  4009: { code: 'NOT_ALLOWED', terminal: true, text: 'the account was deleted' },
  4010: { code: 'NOT_FOUND', terminal: false, text: 'a share was deleted' },
  4011: { code: 'RELAY_OVERLOADED', terminal: false, text: 'the relay is overloaded' },
  4012: { code: 'MEMBER_REMOVED', terminal: true, text: 'this account was removed from the team' },
};

/** Meaning of a WebSocket close code; undefined for normal/network closes (reconnect). */
export function closeMeaning(code: number): CloseMeaning | undefined {
  return CLOSE_CODES[code];
}

/** A VaultError for a terminal close, message starting with `fn`. */
export function closeError(fn: string, code: number, reason?: string): VaultError | undefined {
  const m = CLOSE_CODES[code];
  if (!m) return undefined;
  return new VaultError(m.code, `${fn}: ${m.text} (close ${code}${reason ? `: ${reason}` : ''})`);
}

/** Relay `error` answer codes → VaultError codes. */
const ERROR_CODES: Record<string, VaultErrorCode> = {
  BAD_FRAME: 'BAD_FORMAT', UNKNOWN_TYPE: 'PROTOCOL_MISMATCH', BAD_FIELD: 'BAD_FORMAT', TOO_LARGE: 'TOO_LARGE',
  NOT_AUTHENTICATED: 'NOT_ALLOWED', AUTH_FAILED: 'NOT_ALLOWED', NOT_FOUND: 'NOT_FOUND', NOT_ALLOWED: 'NOT_ALLOWED',
  READ_ONLY: 'READ_ONLY', CODE_EXPIRED: 'CODE_EXPIRED', CONFLICT: 'STALE_VERSION', LOG_CONFLICT: 'LOG_FORKED', EPOCH_IN_USE: 'EPOCH_IN_USE',
  QUOTA_EXCEEDED: 'TEAM_QUOTA', RATE_LIMITED: 'RATE_LIMITED', HASH_MISMATCH: 'TAMPERED', INTERNAL: 'INTERNAL',
  PROTOCOL_MISMATCH: 'PROTOCOL_MISMATCH', ENROLLMENT_REQUIRED: 'ENROLLMENT_REQUIRED', INVITE_INVALID: 'INVITE_INVALID',
  INVITE_EXPIRED: 'INVITE_EXPIRED', JOIN_PENDING: 'JOIN_PENDING', MEMBER_REMOVED: 'MEMBER_REMOVED',
  STORAGE_FULL: 'STORAGE_FULL', STORAGE_UNAVAILABLE: 'STORAGE_UNAVAILABLE', OVERLOADED: 'RELAY_OVERLOADED', CHUNK_MISSING: 'CHUNK_MISSING',
  RELAY_FULL: 'RELAY_FULL', RELAY_QUOTA: 'RELAY_QUOTA',
};

/** Pre-auth refusals (no request id) that end a connection attempt for good: retrying cannot help. */
export const FINAL_PRE_AUTH = new Set(['ENROLLMENT_REQUIRED', 'INVITE_INVALID', 'INVITE_EXPIRED', 'NOT_ALLOWED', 'MEMBER_REMOVED', 'BAD_FIELD', 'RELAY_FULL']);

export function relayErrorCode(code: string): VaultErrorCode {
  return ERROR_CODES[code] ?? 'INTERNAL';
}

/**
 * Every failure the vault core reports is a VaultError with a stable code. The UI maps codes
 * to human words; the message (starting with the function that threw) is for developers.
 */
export const VAULT_ERROR_CODES = [
  'WRONG_PASSWORD',
  'WRONG_SECRET_KEY',
  'BAD_SECRET_KEY_FORMAT',
  'LOCKED',
  'KDF_TOO_WEAK',
  'TAMPERED',
  'BAD_SIGNATURE',
  'UNKNOWN_AUTHOR',
  'WRONG_KEY',
  'TRUNCATED',
  'BAD_FORMAT',
  'NOT_FOUND',
  'STALE_VERSION',
  'PROTOCOL_MISMATCH',
  'CODE_ROTATED',
  'CODE_REVOKED',
  'CODE_EXPIRED',
  'CODE_INVALID',
  /** A typed access code whose check characters do not match: a mistyped character (found locally, nothing sent). */
  'CODE_TYPO',
  'READ_ONLY',
  'MEMBER_BLOCKED',
  'NOT_ALLOWED',
  'DEVICE_WIPED',
  'RELAY_UNREACHABLE',
  'INSECURE_RELAY_URL',
  'LOG_FORKED',
  'LOG_ROLLED_BACK',
  'EPOCH_IN_USE',
  'QUOTA_EXCEEDED',
  'RATE_LIMITED',
  'TOO_LARGE',
  'CANCELLED',
  'INTERNAL',
  /** A known account's public key differs from the one the verified roster pinned: a hard stop. */
  'KEY_CHANGED',
  /** This account was removed from the team (relay close 4012, or the verified roster says so). */
  'MEMBER_REMOVED',
  /** The relay said "wipe" without a roster order this device could verify: locked, nothing deleted. */
  'WIPE_UNVERIFIED',
  'INVITE_INVALID',
  'INVITE_EXPIRED',
  /** The join waits for a team admin to confirm it. */
  'JOIN_PENDING',
  'ENROLLMENT_REQUIRED',
  /** The relay asked for KDF parameters far above this app's own (a hang, not a defence). */
  'KDF_TOO_COSTLY',
  /** The relay's disk is full: the change is kept locally and retried later. */
  'STORAGE_FULL',
  /** The relay cannot read this team's data (damaged or unavailable): kept locally, retried later. */
  'STORAGE_UNAVAILABLE',
  /** The relay closed the connection for backpressure; it reconnects. */
  'RELAY_OVERLOADED',
  'CONFLICT_COPY',
  'SERVER_ROLLED_BACK',
  'CHUNK_MISSING',
  'NOT_DELIVERED',
  /**
   * Sign-in on a new device refused: team id, account id, password or Secret Key not recognised.
   * The relay answers an unknown id exactly as a wrong password (fake KDF salt, same AUTH_FAILED),
   * so ids cannot be probed; the client cannot tell which one is wrong either (docs/attacks.md).
   */
  'SIGN_IN_NOT_RECOGNISED',
  /** A file was replaced or deleted elsewhere while this device replaced it: the new content is a conflicted copy. */
  'FILE_CONFLICT_COPY',
  /** Not a setup code at all (prefix, characters, length). */
  'SETUP_CODE_INVALID',
  /** A setup code of a format version this app does not read. */
  'SETUP_CODE_VERSION',
  /** A setup code whose check does not match: a typo. */
  'SETUP_CODE_CHECK',
  /** The relay takes no new teams (its operator's maximum is reached). */
  'RELAY_FULL',
  /** The relay is at its operator's storage cap: the change is kept locally and retried later. */
  'RELAY_QUOTA',
  /** The team is at its storage quota on the relay: the change is kept locally and retried later. */
  'TEAM_QUOTA',
  /** Something answers at the relay address, but not a Truhe relay (first-run check). */
  'NOT_A_RELAY',
  /** A file being added could not be read any more (moved, changed or deleted meanwhile); nothing was added. */
  'FILE_UNREADABLE',
] as const;

export type VaultErrorCode = (typeof VAULT_ERROR_CODES)[number];

export class VaultError extends Error {
  override readonly name = 'VaultError';
  constructor(
    readonly code: VaultErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isVaultError(e: unknown, code?: VaultErrorCode): e is VaultError {
  return e instanceof VaultError && (code === undefined || e.code === code);
}

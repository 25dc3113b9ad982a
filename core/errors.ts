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
  'CONFLICT_COPY',
  'SERVER_ROLLED_BACK',
  'CHUNK_MISSING',
  'NOT_DELIVERED',
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

import { randomBytes } from 'node:crypto';

/** A fresh unguessable handle (32 random bytes, base64url, 43 characters). */
export function newHandle(): string {
  return randomBytes(32).toString('base64url');
}

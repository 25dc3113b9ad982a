/**
 * Enrollment tokens: the relay operator decides who may open a team (DESIGN.md §8). A token is
 * 24 random bytes, base64url, shown once; the relay keeps only its SHA-256 and an expiry, and
 * team.create uses it up.
 */
import { randomBytes } from 'node:crypto';
import { sha256b64url } from './crypto.js';
import type { RelayStorage } from './storage/types.js';

export async function issueEnrollmentToken(storage: RelayStorage, now: number, validMs: number): Promise<string> {
  const token = randomBytes(24).toString('base64url');
  await storage.addEnrollmentToken(sha256b64url(new TextEncoder().encode(token)), now + validMs, now);
  return token;
}

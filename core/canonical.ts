/**
 * Canonical JSON for the core: protocol/canonical.ts (shared with the relay), with its errors
 * mapped to VaultError('BAD_FORMAT') and top-level `undefined` properties dropped (optional
 * fields that are absent), so callers need not special-case them.
 */
import { canonicalJson as protocolCanonicalJson } from '../protocol/canonical.js';
import { VaultError } from './errors.js';
import { utf8 } from './encoding.js';

function dropUndefined(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined));
}

/** Canonical JSON text. Throws VaultError('BAD_FORMAT') for values JSON cannot represent. */
export function canonicalJson(value: unknown): string {
  try {
    return protocolCanonicalJson(dropUndefined(value));
  } catch (e) {
    throw new VaultError('BAD_FORMAT', `canonicalJson: ${e instanceof Error ? e.message : 'not JSON'}`, { cause: e });
  }
}

/** UTF-8 bytes of canonicalJson(value). */
export function canonicalBytes(value: unknown): Uint8Array {
  return utf8(canonicalJson(value));
}

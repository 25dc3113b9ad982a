/**
 * Canonical JSON: the byte form both client and relay sign and hash.
 * Keys sorted by UTF-16 code unit order (JS default sort), no whitespace, UTF-8 when encoded.
 * Rejects what JSON cannot represent faithfully: undefined, functions, symbols, bigint,
 * non-finite numbers, and non-plain objects (Uint8Array, Date, Map ...). Arrays keep order.
 * Throws CanonicalJsonError (code 'NOT_CANONICAL') — callers validate input before signing.
 */
export class CanonicalJsonError extends Error {
  override readonly name = 'CanonicalJsonError';
  readonly code = 'NOT_CANONICAL' as const;
}

function enc(value: unknown, path: string, seen: Set<object>): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalJsonError(`canonicalJson: non-finite number at ${path}`);
      return JSON.stringify(Object.is(value, -0) ? 0 : value);
    case 'object': {
      if (seen.has(value)) throw new CanonicalJsonError(`canonicalJson: cycle at ${path}`);
      seen.add(value);
      let out: string;
      if (Array.isArray(value)) {
        out = '[' + value.map((v, i) => enc(v, `${path}[${i}]`, seen)).join(',') + ']';
      } else {
        const proto = Object.getPrototypeOf(value);
        if (proto !== Object.prototype && proto !== null) {
          throw new CanonicalJsonError(`canonicalJson: non-plain object at ${path}`);
        }
        const rec = value as Record<string, unknown>;
        const keys = Object.keys(rec).sort();
        out = '{' + keys.map((k) => JSON.stringify(k) + ':' + enc(rec[k], `${path}.${k}`, seen)).join(',') + '}';
      }
      seen.delete(value);
      return out;
    }
    default:
      throw new CanonicalJsonError(`canonicalJson: ${typeof value} at ${path} is not JSON`);
  }
}

/** Canonical JSON text of `value`. Throws CanonicalJsonError on non-JSON values. */
export function canonicalJson(value: unknown): string {
  return enc(value, '$', new Set());
}

const UTF8 = new TextEncoder();

/** UTF-8 bytes of canonicalJson(value), optionally prefixed by a domain string (e.g. 'truhe/auth/v1'). */
export function canonicalBytes(value: unknown, domain?: string): Uint8Array {
  return UTF8.encode((domain ?? '') + canonicalJson(value));
}

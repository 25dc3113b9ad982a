import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromB64url, toB64url, fromBase32, toBase32 } from '../../../../core/encoding.js';
import { isId, newId, parseShareId } from '../../../../core/ids.js';
import { expectCode } from '../helpers.js';

describe('encoding', () => {
  it('base64url matches Buffer (no padding) and round-trips', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 100 }), (b) => {
      const s = toB64url(b);
      expect(s).toBe(Buffer.from(b).toString('base64url'));
      expect(fromB64url(s)).toEqual(b);
    }));
  });
  it('base64url is strict', async () => {
    for (const bad of ['a', 'ab=', 'a+b/', 'AB', '\u00e9abc']) await expectCode(() => fromB64url(bad), 'BAD_FORMAT');
  });
  it('base32 round-trips', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 40 }), (b) => {
      expect(fromBase32(toBase32(b).toLowerCase(), b.length)).toEqual(b);
    }));
  });
});

describe('ids', () => {
  it('are 22-char base64url of 16 bytes; parse rejects others', async () => {
    const id = newId();
    expect(id).toHaveLength(22);
    expect(fromB64url(id)).toHaveLength(16);
    expect(isId(id)).toBe(true);
    expect(parseShareId(id)).toBe(id);
    for (const bad of ['', 'x'.repeat(22), id.slice(1), `${id}A`, 42]) await expectCode(() => parseShareId(bad), 'BAD_FORMAT');
  });
});

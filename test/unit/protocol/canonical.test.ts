import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalBytes, canonicalJson, CanonicalJsonError } from '../../../protocol/canonical.js';

describe('canonicalJson', () => {
  it('sorts keys recursively and drops whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}');
  });
  it('is independent of insertion order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (obj) => {
        const reversed = Object.fromEntries(Object.entries(obj).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(obj));
        expect(JSON.parse(canonicalJson(obj))).toEqual(JSON.parse(JSON.stringify(obj)));
      }),
    );
  });
  it('rejects non-finite numbers, undefined, bigint and non-plain objects', () => {
    for (const bad of [NaN, Infinity, -Infinity, undefined, 1n, new Uint8Array(1), new Date(0), { a: undefined }, [() => 1]]) {
      expect(() => canonicalJson(bad)).toThrow(CanonicalJsonError);
    }
  });
  it('encodes -0 as 0 and escapes strings like JSON', () => {
    expect(canonicalJson({ n: -0, s: 'ä"\n' })).toBe('{"n":0,"s":"ä\\"\\n"}');
  });
  it('prefixes the domain in canonicalBytes', () => {
    expect(new TextDecoder().decode(canonicalBytes({ a: 1 }, 'truhe/auth/v1'))).toBe('truhe/auth/v1{"a":1}');
  });
});

/**
 * canonicalJson's exact output for edge values and the path its errors name (protocol/canonical.ts):
 * what a signer and a verifier must agree on byte for byte.
 */
import { describe, expect, it } from 'vitest';
import { canonicalBytes, canonicalJson, CanonicalJsonError } from '../../../protocol/canonical.js';

function error(v: unknown): CanonicalJsonError {
  try {
    canonicalJson(v);
  } catch (e) {
    if (e instanceof CanonicalJsonError) return e;
    throw e;
  }
  throw new Error('expected CanonicalJsonError');
}

describe('canonicalJson edges', () => {
  it('booleans, null, -0, nested arrays and objects', () => {
    expect(canonicalJson([true, false, null, -0, 0, 1.5, 'é'])).toBe('[true,false,null,0,0,1.5,"é"]');
    expect(canonicalJson({ b: [{ d: false, c: [] }], a: {} })).toBe('{"a":{},"b":[{"c":[],"d":false}]}');
    expect(canonicalJson(Object.create(null))).toBe('{}');
  });
  it('the same object twice (not a cycle) is fine; a cycle is refused with its path', () => {
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: [shared] })).toBe('{"a":{"x":1},"b":[{"x":1}]}');
    const cyc: Record<string, unknown> = { k: [1] };
    (cyc.k as unknown[]).push(cyc);
    const e = error(cyc);
    expect([e.name, e.code, e.message]).toEqual(['CanonicalJsonError', 'NOT_CANONICAL', 'canonicalJson: cycle at $.k[1]']);
  });
  it('errors name the path of the bad value', () => {
    expect(error({ a: [1, { b: NaN }] }).message).toBe('canonicalJson: non-finite number at $.a[1].b');
    expect(error({ d: new Date(0) }).message).toBe('canonicalJson: non-plain object at $.d');
    expect(error([undefined]).message).toBe('canonicalJson: undefined at $[0] is not JSON');
    expect(error(1n).message).toBe('canonicalJson: bigint at $ is not JSON');
  });
  it('canonicalBytes: UTF-8 of the domain then the JSON', () => {
    expect(new TextDecoder().decode(canonicalBytes({ b: 1, a: 'ü' }))).toBe('{"a":"ü","b":1}');
    expect(new TextDecoder().decode(canonicalBytes([1], 'truhe/x/v1'))).toBe('truhe/x/v1[1]');
    expect(canonicalBytes('ü')).toEqual(new Uint8Array([0x22, 0xc3, 0xbc, 0x22]));
  });
});

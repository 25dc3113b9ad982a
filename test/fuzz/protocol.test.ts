/**
 * Property-based fuzzing of every protocol parser on both sides (protocol/): client → relay
 * messages, relay → client messages, the `Results` answer schemas, the binary frame decoder,
 * strict base64url and canonicalJson. Each parser must return a typed ParseResult (never
 * throw), name a code from ERROR_CODES, and accept what it accepts consistently.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  b64urlDecode, b64urlEncode, canonicalBytes, canonicalJson, CanonicalJsonError, decodeBinaryFrame, encodeBinaryFrame, ERROR_CODES,
  parseChunkFrame, parseChunkPut, parseClientMessage, parseClientObject, parseJsonObject, parseServerMessage, parseWith, Results,
  type ParseResult,
} from '../../protocol/index.js';
import { binaryFrames, CLIENT_SAMPLES, mutated, RUNS, SERVER_SAMPLES, textFrames } from './common.js';

const CODES = new Set<string>(ERROR_CODES);

function wellTyped<T>(r: ParseResult<T>): void {
  expect(typeof r.ok).toBe('boolean');
  if (!r.ok) {
    expect(CODES.has(r.code), `unknown code ${r.code}`).toBe(true);
    expect(typeof r.message).toBe('string');
  }
}

describe('fuzz: client → relay parsers (relay side)', () => {
  it('every valid sample parses (the generator starts from real messages)', () => {
    for (const s of CLIENT_SAMPLES) expect(parseClientMessage(JSON.stringify(s)), JSON.stringify(s)).toMatchObject({ ok: true });
  });

  it('parseClientMessage: arbitrary and mutated text → typed result, never a throw', () => {
    let accepted = 0;
    fc.assert(fc.property(textFrames(CLIENT_SAMPLES), (text) => {
      const r = parseClientMessage(text);
      wellTyped(r);
      if (r.ok) {
        accepted++;
        // What is accepted is stable: parsing the accepted value's JSON again accepts it.
        expect(parseClientMessage(JSON.stringify(r.value)).ok).toBe(true);
        expect(typeof r.value.type).toBe('string');
      }
    }), { numRuns: RUNS });
    expect(accepted).toBeLessThan(RUNS); // the mutator does produce rejects
  });

  it('parseClientObject: mutated objects never pass with an unknown type or an extra field', () => {
    fc.assert(fc.property(mutated(CLIENT_SAMPLES), (v) => {
      const o = parseJsonObject(JSON.stringify(v));
      if (!o.ok) return;
      const r = parseClientObject(o.value);
      wellTyped(r);
      if (r.ok) {
        // strict schemas: no key of the input may be unknown to the parsed value
        for (const k of Object.keys(o.value)) expect(Object.hasOwn(r.value, k), `extra key ${k} accepted`).toBe(true);
      }
    }), { numRuns: RUNS });
  });

  it('parseJsonObject: oversize text → TOO_LARGE, prototype keys stay data', () => {
    fc.assert(fc.property(fc.string({ minLength: 11, maxLength: 50 }), (s) => {
      expect(parseJsonObject(s, 10)).toMatchObject({ ok: false, code: 'TOO_LARGE' });
    }), { numRuns: Math.min(RUNS, 200) });
    const r = parseClientMessage('{"type":"pull","id":1,"__proto__":{"polluted":1},"share":"AAAAAAAAAAAAAAAAAAAAAA","since":0}');
    expect(r.ok).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('fuzz: relay → client parsers (client side)', () => {
  it('every valid sample parses', () => {
    for (const s of SERVER_SAMPLES) expect(parseServerMessage(JSON.stringify(s)), JSON.stringify(s)).toMatchObject({ ok: true });
  });

  it('parseServerMessage: arbitrary and mutated text → typed result, never a throw', () => {
    fc.assert(fc.property(textFrames(SERVER_SAMPLES), (text) => {
      const r = parseServerMessage(text);
      wellTyped(r);
      if (r.ok && r.value.type === 'error') expect(CODES.has(r.value.code)).toBe(true);
    }), { numRuns: RUNS });
  });

  it('Results schemas: every answer shape, fed mutated answers → typed result', () => {
    const answers = Object.keys(Results) as (keyof typeof Results)[];
    fc.assert(fc.property(fc.constantFrom(...answers), mutated(SERVER_SAMPLES), (which, v) => {
      wellTyped(parseWith(Results[which], v));
    }), { numRuns: RUNS });
  });
});

describe('fuzz: binary frames', () => {
  it('decodeBinaryFrame / parseChunkPut / parseChunkFrame: arbitrary bytes → typed result', () => {
    fc.assert(fc.property(binaryFrames, (frame) => {
      for (const r of [decodeBinaryFrame(frame), parseChunkPut(frame), parseChunkFrame(frame)]) wellTyped(r);
      const d = decodeBinaryFrame(frame);
      if (d.ok) {
        // header length and body split are exact
        const len = new DataView(frame.buffer, frame.byteOffset).getUint32(0, false);
        expect(d.value.bytes.length).toBe(frame.length - 4 - len);
      }
    }), { numRuns: RUNS });
  });

  it('decoding a frame of subarray input (offset views) is the same as of a copy', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 20 }), binaryFrames, (pad, frame) => {
      const buf = new Uint8Array(pad.length + frame.length);
      buf.set(pad);
      buf.set(frame, pad.length);
      const view = buf.subarray(pad.length);
      expect(decodeBinaryFrame(view).ok).toBe(decodeBinaryFrame(frame.slice()).ok);
    }), { numRuns: RUNS });
  });

  it('encode → decode round-trips every header and body', () => {
    fc.assert(fc.property(fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 }), fc.uint8Array({ maxLength: 500 }), (h, body) => {
      let frame: Uint8Array;
      try {
        frame = encodeBinaryFrame(h, body);
      } catch (e) {
        expect(e).toBeInstanceOf(RangeError);
        return;
      }
      const d = decodeBinaryFrame(frame);
      expect(d.ok).toBe(true);
      if (d.ok) {
        expect(JSON.stringify(d.value.header)).toBe(JSON.stringify(JSON.parse(JSON.stringify(h))));
        expect(Buffer.from(d.value.bytes).equals(Buffer.from(body))).toBe(true);
      }
    }), { numRuns: RUNS });
  });
});

describe('fuzz: base64url and canonicalJson', () => {
  it('b64urlDecode: arbitrary text → bytes or null; accepted text is canonical', () => {
    fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 60 }), fc.stringMatching(/^[A-Za-z0-9_-]{0,60}$/)), (s) => {
      const d = b64urlDecode(s);
      if (d !== null) expect(b64urlEncode(d)).toBe(s);
    }), { numRuns: RUNS });
    fc.assert(fc.property(fc.uint8Array({ maxLength: 100 }), (b) => {
      expect(Buffer.from(b64urlDecode(b64urlEncode(b))!).equals(Buffer.from(b))).toBe(true);
      expect(b64urlEncode(b)).toBe(Buffer.from(b).toString('base64url'));
    }), { numRuns: RUNS });
  });

  it('canonicalJson: JSON values → deterministic, key-order independent, round-trips', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 4 }), fc.nat(), (v, seed) => {
      const text = canonicalJson(v);
      expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(v)));
      expect(text).not.toMatch(/\n/);
      // shuffle object keys: same bytes
      const shuffle = (x: unknown): unknown => {
        if (Array.isArray(x)) return x.map(shuffle);
        if (x && typeof x === 'object') {
          const keys = Object.keys(x);
          const rot = keys.length ? seed % keys.length : 0;
          return Object.fromEntries([...keys.slice(rot), ...keys.slice(0, rot)].reverse().map((k) => [k, shuffle((x as Record<string, unknown>)[k])]));
        }
        return x;
      };
      expect(canonicalJson(shuffle(v))).toBe(text);
      expect(canonicalJson(JSON.parse(text))).toBe(text);
      expect(new TextDecoder().decode(canonicalBytes(v, 'd/'))).toBe('d/' + text);
    }), { numRuns: RUNS });
  });

  it('canonicalJson: arbitrary JS values → a string or CanonicalJsonError, nothing else', () => {
    fc.assert(fc.property(fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withNullPrototype: true, withSparseArray: true, withBoxedValues: true }), (v) => {
      try {
        expect(typeof canonicalJson(v)).toBe('string');
      } catch (e) {
        expect(e).toBeInstanceOf(CanonicalJsonError);
        expect((e as CanonicalJsonError).code).toBe('NOT_CANONICAL');
      }
    }), { numRuns: RUNS });
  });
});

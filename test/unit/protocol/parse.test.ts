import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  b64urlDecode, b64urlEncode, decodeBinaryFrame, encodeBinaryFrame, parseChunkPut, parseClientMessage, parseServerMessage,
} from '../../../protocol/index.js';

const id = (n: number) => b64urlEncode(new Uint8Array(16).fill(n));
const h32 = (n: number) => b64urlEncode(new Uint8Array(32).fill(n));
const sig = b64urlEncode(new Uint8Array(64).fill(7));

describe('parseClientMessage', () => {
  it('accepts valid messages', () => {
    expect(parseClientMessage('{"type":"hello","protocol":1}')).toEqual({ ok: true, value: { type: 'hello', protocol: 1 } });
    const auth = { type: 'auth', method: 'device', team: id(1), device: id(2), sig };
    expect(parseClientMessage(JSON.stringify(auth)).ok).toBe(true);
    const pull = { type: 'pull', id: 3, share: id(4), since: 0, limit: 10 };
    expect(parseClientMessage(JSON.stringify(pull))).toEqual({ ok: true, value: pull });
  });
  it('gives specific codes for malformed input', () => {
    expect(parseClientMessage('{not json')).toMatchObject({ ok: false, code: 'BAD_FRAME' });
    expect(parseClientMessage('[1,2]')).toMatchObject({ ok: false, code: 'BAD_FRAME' });
    expect(parseClientMessage('{"x":1}')).toMatchObject({ ok: false, code: 'BAD_FIELD' });
    expect(parseClientMessage('{"type":"nope"}')).toMatchObject({ ok: false, code: 'UNKNOWN_TYPE' });
    expect(parseClientMessage('{"type":"__proto__"}')).toMatchObject({ ok: false, code: 'UNKNOWN_TYPE' });
    expect(parseClientMessage('{"type":"pull","id":1,"share":"short","since":0}')).toMatchObject({ ok: false, code: 'BAD_FIELD' });
    expect(parseClientMessage('{"type":"pull","id":1,"since":0}')).toMatchObject({ ok: false, code: 'BAD_FIELD' });
    expect(parseClientMessage('{"type":"hello","protocol":1,"extra":2}')).toMatchObject({ ok: false, code: 'BAD_FIELD' });
    expect(parseClientMessage('x'.repeat(100), 50)).toMatchObject({ ok: false, code: 'TOO_LARGE' });
  });
  it('rejects ids with non-canonical trailing bits', () => {
    const bad = id(1).slice(0, 21) + 'B';
    expect(parseClientMessage(JSON.stringify({ type: 'log.get', id: 1, share: bad, since: 0 }))).toMatchObject({ ok: false, code: 'BAD_FIELD' });
  });
  it('never throws on arbitrary input', () => {
    fc.assert(fc.property(fc.string(), (s) => { expect(typeof parseClientMessage(s).ok).toBe('boolean'); }));
    fc.assert(fc.property(fc.jsonValue(), (v) => { expect(typeof parseClientMessage(JSON.stringify(v)).ok).toBe('boolean'); }));
  });
});

describe('parseServerMessage', () => {
  it('parses relay messages and keeps ok fields', () => {
    expect(parseServerMessage(JSON.stringify({ type: 'changed', share: id(1), seq: 5 })).ok).toBe(true);
    expect(parseServerMessage('{"type":"ok","id":1,"head":3}')).toEqual({ ok: true, value: { type: 'ok', id: 1, head: 3 } });
    expect(parseServerMessage('{"type":"error","code":"WHAT","message":""}')).toMatchObject({ ok: false, code: 'BAD_FIELD' });
  });
});

describe('binary frames', () => {
  it('round-trips header and bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
      const f = decodeBinaryFrame(encodeBinaryFrame({ type: 'chunk', id: 1, hash: h32(1) }, bytes));
      expect(f.ok && Buffer.from(f.value.bytes).equals(Buffer.from(bytes))).toBe(true);
    }));
  });
  it('checks bounds', () => {
    expect(decodeBinaryFrame(new Uint8Array([0, 0]))).toMatchObject({ ok: false, code: 'BAD_FRAME' });
    expect(decodeBinaryFrame(new Uint8Array([0, 0, 0, 9, 123]))).toMatchObject({ ok: false, code: 'BAD_FRAME' });
    expect(decodeBinaryFrame(new Uint8Array([0xff, 0xff, 0xff, 0xff, 1]))).toMatchObject({ ok: false, code: 'TOO_LARGE' });
    expect(decodeBinaryFrame(new Uint8Array([0, 0, 0, 1, 0xff]))).toMatchObject({ ok: false, code: 'BAD_FRAME' });
    const frame = encodeBinaryFrame({ type: 'chunk.put', id: 1, share: id(1), hash: h32(2) }, new Uint8Array(0));
    expect(parseChunkPut(frame)).toMatchObject({ ok: false, code: 'BAD_FIELD' });
    expect(parseChunkPut(encodeBinaryFrame({ type: 'chunk.put', id: 1, share: id(1), hash: h32(2) }, new Uint8Array(9)), 8)).toMatchObject({ ok: false, code: 'TOO_LARGE' });
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => { expect(typeof parseChunkPut(b).ok).toBe('boolean'); }));
  });
});

describe('base64url', () => {
  it('round-trips and rejects bad input', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 100 }), (b) => {
      expect(Buffer.from(b64urlDecode(b64urlEncode(b))!).equals(Buffer.from(b))).toBe(true);
      expect(b64urlEncode(b)).toBe(Buffer.from(b).toString('base64url'));
    }));
    expect(b64urlDecode('a')).toBeNull();
    expect(b64urlDecode('ab=')).toBeNull();
    expect(b64urlDecode('AB')).toBeNull();
  });
});

/**
 * core/sync/relay-inbound.ts: where each frame from the relay goes. Real frames (encoded and
 * parsed with protocol/), a sink that records the calls. Each refusal case breaks one thing.
 */
import { describe, expect, it } from 'vitest';
import { encodeBinaryFrame } from '../../../protocol/index.js';
import { dispatchRelayFrame, type InboundSink } from '../../../core/sync/relay-inbound.js';
import { VaultError } from '../../../core/errors.js';

const HASH = 'A'.repeat(43);
const SHARE = 'A'.repeat(22); // 16 zero bytes, base64url

function record(data: unknown, online: boolean): [string, ...unknown[]][] {
  const calls: [string, ...unknown[]][] = [];
  const on = (name: string) => (...args: unknown[]) => void calls.push([name, ...args.map((a) => (a instanceof VaultError ? a.code : a))]);
  const sink: InboundSink = {
    challenge: on('challenge'), welcome: on('welcome'), answer: on('answer'), refuse: on('refuse'), fail: on('fail'),
    notice: on('notice'), closing: on('closing'), wipe: on('wipe'), malformed: on('malformed'),
  };
  dispatchRelayFrame(data, online, sink);
  return calls;
}
const text = (m: Record<string, unknown>) => JSON.stringify(m);

describe('dispatchRelayFrame', () => {
  it('handshake steps, answers, notices, closing and wipe each reach their one sink method', () => {
    expect(record(text({ type: 'challenge', nonce: 'n'.repeat(43) }), false)).toEqual([['challenge', 'n'.repeat(43)]]);
    expect(record(text({ type: 'ok', id: 7, extra: 1 }), true)).toEqual([['answer', 7, { type: 'ok', id: 7, extra: 1 }]]);
    expect(record(text({ type: 'conflict', id: 8, item: 'i', head: null }), true)).toEqual([['answer', 8, { type: 'conflict', id: 8, item: 'i', head: null }]]);
    expect(record(text({ type: 'changed', share: SHARE, seq: 3 }), true)).toEqual([['notice', { type: 'changed', share: SHARE, seq: 3 }]]);
    expect(record(text({ type: 'joinrequest' }), true)).toEqual([['notice', { type: 'joinrequest' }]]);
    expect(record(text({ type: 'closing', code: 4002, reason: 'rotated' }), true)).toEqual([['closing', 4002, 'rotated']]);
    expect(record(text({ type: 'wipe' }), true)).toEqual([['wipe', undefined]]);
  });

  it('a chunk frame answers its request with the bytes', () => {
    const frame = encodeBinaryFrame({ type: 'chunk', id: 9, hash: HASH }, new Uint8Array([1, 2, 3]));
    const calls = record(frame.buffer.slice(frame.byteOffset, frame.byteOffset + frame.byteLength), true);
    expect(calls).toEqual([['answer', 9, new Uint8Array([1, 2, 3])]]);
    expect(record(frame, true)).toEqual([['answer', 9, new Uint8Array([1, 2, 3])]]); // a view works too
  });

  it('an error with an id refuses that request, with the mapped code, online or not', () => {
    expect(record(text({ type: 'error', id: 4, code: 'READ_ONLY', message: 'no' }), true)).toEqual([['refuse', 4, 'READ_ONLY']]);
    expect(record(text({ type: 'error', id: 4, code: 'ENROLLMENT_REQUIRED', message: 'no' }), false)).toEqual([['refuse', 4, 'ENROLLMENT_REQUIRED']]);
  });

  it('an error without an id ends the connection only before auth and only for a final code; PROTOCOL_MISMATCH always', () => {
    expect(record(text({ type: 'error', code: 'ENROLLMENT_REQUIRED', message: 'x' }), false)).toEqual([['fail', 'ENROLLMENT_REQUIRED']]);
    expect(record(text({ type: 'error', code: 'ENROLLMENT_REQUIRED', message: 'x' }), true)).toEqual([]); // online: not final
    expect(record(text({ type: 'error', code: 'RATE_LIMITED', message: 'x' }), false)).toEqual([]); // not a final pre-auth code
    expect(record(text({ type: 'error', code: 'PROTOCOL_MISMATCH', message: 'x' }), true)).toEqual([['fail', 'PROTOCOL_MISMATCH']]);
  });

  it('a frame that does not parse is malformed (text or binary); data of another kind is ignored', () => {
    expect(record('{"type":"ok"}', true)).toEqual([['malformed', 'bad frame']]); // ok without id
    expect(record(text({ type: 'changed', share: SHARE, seq: 3, extra: 1 }), true)).toEqual([['malformed', 'bad frame']]); // unknown field
    const bad = encodeBinaryFrame({ type: 'chunk', id: 9, hash: 'short' }, new Uint8Array([1]));
    expect(record(bad, true)).toEqual([['malformed', 'bad binary frame']]);
    expect(record(42, true)).toEqual([]);
  });
});

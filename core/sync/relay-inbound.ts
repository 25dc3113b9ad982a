/**
 * Where each frame from the relay goes, once parsed (wire.ts): handshake steps (`challenge`,
 * `welcome`), answers to requests (`ok`, `conflict`, `error` with an id, binary `chunk`),
 * refusals that end the connection (`error` without an id), notices for the engine (`changed`,
 * `log`, `roster`, `joinrequest`), and the relay's `closing` and `wipe`. The connection
 * implements the sink for its current socket; this file only decides, it holds no state.
 */
import { VaultError } from '../errors.js';
import { FINAL_PRE_AUTH, relayErrorCode } from './close-codes.js';
import type { Answer } from './request-table.js';
import { decodeBinaryFrame, parseRelayText, type Notice, type OkMessage, type RelayMessage, type Welcome } from './wire.js';

export interface InboundSink {
  challenge(nonceB64: string): void;
  welcome(w: Welcome): void;
  /** The answer to request `id`: an `ok`/`conflict` message, or a chunk's bytes. */
  answer(id: number, a: Answer): void;
  /** The relay refused request `id`. */
  refuse(id: number, err: VaultError): void;
  /** A refusal that ends the connection for good. */
  fail(err: VaultError): void;
  notice(n: Notice): void;
  /** The relay announces it closes the socket with `code`. */
  closing(code: number, reason: string | undefined): void;
  wipe(order: unknown): void;
  /** A frame that does not parse: the socket is not to be trusted any more. */
  malformed(reason: string): void;
}

/** A WebSocket message's data as bytes; null for data that is neither (ignored). */
function binaryBytes(data: unknown): Uint8Array | null {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return null;
}

/** Routes one WebSocket message (text or binary) to the sink. `online`: auth has succeeded. */
export function dispatchRelayFrame(data: unknown, online: boolean, sink: InboundSink): void {
  if (typeof data !== 'string') {
    const bytes = binaryBytes(data);
    if (!bytes) return;
    let frame: ReturnType<typeof decodeBinaryFrame>;
    try {
      frame = decodeBinaryFrame(bytes);
    } catch {
      sink.malformed('bad binary frame');
      return;
    }
    sink.answer(frame.header.id, frame.bytes);
    return;
  }
  let msg: RelayMessage;
  try {
    msg = parseRelayText(data);
  } catch {
    sink.malformed('bad frame');
    return;
  }
  dispatchRelayMessage(msg, online, sink);
}

function dispatchRelayMessage(msg: RelayMessage, online: boolean, sink: InboundSink): void {
  switch (msg.type) {
    case 'challenge':
      sink.challenge(msg.nonce);
      return;
    case 'welcome':
      sink.welcome(msg);
      return;
    case 'ok':
    case 'conflict':
      sink.answer(msg.id, msg as OkMessage);
      return;
    case 'error': {
      const err = new VaultError(relayErrorCode(msg.code), `Connection.request: relay answered ${msg.code}${msg.message ? `: ${msg.message}` : ''}`);
      if (msg.id !== undefined) sink.refuse(msg.id, err);
      else if (msg.code === 'PROTOCOL_MISMATCH') sink.fail(new VaultError('PROTOCOL_MISMATCH', 'Connection: the relay speaks another protocol version'));
      else if (!online && FINAL_PRE_AUTH.has(msg.code)) sink.fail(err);
      return;
    }
    case 'changed':
    case 'log':
    case 'roster':
    case 'joinrequest':
      sink.notice(msg);
      return;
    case 'closing':
      sink.closing(msg.code, msg.reason);
      return;
    case 'wipe':
      sink.wipe(msg.order);
      return;
    default:
      return;
  }
}

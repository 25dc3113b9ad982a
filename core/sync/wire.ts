/**
 * Parsing of relay → client frames with the protocol/ schemas (the single source of truth).
 * Anything that does not parse is a BAD_FORMAT error: the connection is dropped and
 * re-established, the frame is never trusted.
 */
import { VaultError } from '../errors.js';
import { encodeBinaryFrame as encodeFrame, encodeBinaryFramePrefix, parseChunkFrame, parseServerMessage, type ServerMessage } from '../../protocol/index.js';
import type { z } from 'zod';
import type { Welcome as WelcomeSchema } from '../../protocol/messages-server.js';

export type RelayMessage = ServerMessage;
export type Welcome = z.infer<typeof WelcomeSchema>;
export type OkMessage = Extract<RelayMessage, { type: 'ok' }> & Record<string, unknown>;
export type ConflictMessage = Extract<RelayMessage, { type: 'conflict' }>;
export type Notice = Extract<RelayMessage, { type: 'changed' | 'log' | 'roster' | 'joinrequest' }>;

/** Parse a text frame. Throws VaultError('BAD_FORMAT'). */
export function parseRelayText(text: string): RelayMessage {
  const r = parseServerMessage(text);
  if (!r.ok) throw new VaultError('BAD_FORMAT', `parseRelayText: ${r.code}: ${r.message}`);
  return r.value;
}

/** Encode `header ‖ bytes` as one binary frame; a Blob stays a Blob (its bytes are never copied on this thread). */
export function encodeBinaryFrame(header: Record<string, unknown>, bytes: Uint8Array | Blob): Uint8Array | Blob {
  return bytes instanceof Uint8Array ? encodeFrame(header, bytes) : new Blob([encodeBinaryFramePrefix(header) as Uint8Array<ArrayBuffer>, bytes]);
}

/** Decode a relay → client binary frame (a `chunk` answer). Throws VaultError('BAD_FORMAT'). */
export function decodeBinaryFrame(frame: Uint8Array): { header: { id: number; hash: string }; bytes: Uint8Array } {
  const r = parseChunkFrame(frame);
  if (!r.ok) throw new VaultError('BAD_FORMAT', `decodeBinaryFrame: ${r.code}: ${r.message}`);
  return r.value;
}

/**
 * Binary frames: `u32 big-endian header length ‖ header JSON (UTF-8) ‖ chunk bytes`.
 * Decoding checks every bound and returns ParseResult; it never throws.
 */
import { type ParseResult, parseFail } from './errors.js';
import { DEFAULT_LIMITS } from './limits.js';
import { ChunkHeader, ChunkPutHeader } from './messages-client.js';

const ENC = new TextEncoder();
const DEC = new TextDecoder('utf-8', { fatal: true });

/** Encodes header (any JSON object) + bytes into one frame. Throws RangeError if the header is too long. */
export function encodeBinaryFrame(header: object, bytes: Uint8Array, maxHeader = DEFAULT_LIMITS.maxFrameHeader): Uint8Array {
  const prefix = encodeBinaryFramePrefix(header, maxHeader);
  const out = new Uint8Array(prefix.length + bytes.length);
  out.set(prefix, 0);
  out.set(bytes, prefix.length);
  return out;
}

/** The part of a frame before its bytes (`u32 length ‖ header JSON`), for a sender that appends the bytes itself. */
export function encodeBinaryFramePrefix(header: object, maxHeader = DEFAULT_LIMITS.maxFrameHeader): Uint8Array {
  const h = ENC.encode(JSON.stringify(header));
  if (h.length > maxHeader) throw new RangeError(`encodeBinaryFrame: header of ${h.length} bytes exceeds ${maxHeader}`);
  const out = new Uint8Array(4 + h.length);
  new DataView(out.buffer).setUint32(0, h.length, false);
  out.set(h, 4);
  return out;
}

export interface RawBinaryFrame {
  header: Record<string, unknown>;
  /** A view into the input (no copy). */
  bytes: Uint8Array;
}

/** Splits a frame into header object + bytes. Errors: BAD_FRAME (truncated, bad JSON), TOO_LARGE. */
export function decodeBinaryFrame(frame: Uint8Array, maxHeader = DEFAULT_LIMITS.maxFrameHeader): ParseResult<RawBinaryFrame> {
  if (!(frame instanceof Uint8Array) || frame.length < 4) return parseFail('BAD_FRAME', 'binary frame shorter than 4 bytes');
  const len = new DataView(frame.buffer, frame.byteOffset, frame.byteLength).getUint32(0, false);
  if (len > maxHeader) return parseFail('TOO_LARGE', `binary header length ${len} exceeds ${maxHeader}`);
  if (len === 0 || 4 + len > frame.length) return parseFail('BAD_FRAME', 'binary header length out of bounds');
  let header: unknown;
  try {
    header = JSON.parse(DEC.decode(frame.subarray(4, 4 + len)));
  } catch {
    return parseFail('BAD_FRAME', 'binary header is not UTF-8 JSON');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) return parseFail('BAD_FRAME', 'binary header is not an object');
  return { ok: true, value: { header: header as Record<string, unknown>, bytes: frame.subarray(4 + len) } };
}

/** Decodes a client `chunk.put` frame. */
export function parseChunkPut(frame: Uint8Array, maxChunk = DEFAULT_LIMITS.maxChunk): ParseResult<{ header: ChunkPutHeader; bytes: Uint8Array }> {
  const f = decodeBinaryFrame(frame);
  if (!f.ok) return f;
  if (f.value.header.type !== 'chunk.put') return parseFail('UNKNOWN_TYPE', 'binary frame type must be chunk.put');
  const h = ChunkPutHeader.safeParse(f.value.header);
  if (!h.success) return parseFail('BAD_FIELD', 'chunk.put header: ' + h.error.issues.map((i) => i.path.join('.')).join(','));
  if (f.value.bytes.length === 0) return parseFail('BAD_FIELD', 'chunk.put: empty chunk');
  if (f.value.bytes.length > maxChunk) return parseFail('TOO_LARGE', `chunk exceeds ${maxChunk} bytes`);
  return { ok: true, value: { header: h.data, bytes: f.value.bytes } };
}

/** Decodes a relay `chunk` frame (for the client). */
export function parseChunkFrame(frame: Uint8Array): ParseResult<{ header: ChunkHeader; bytes: Uint8Array }> {
  const f = decodeBinaryFrame(frame);
  if (!f.ok) return f;
  const h = ChunkHeader.safeParse(f.value.header);
  if (!h.success) return parseFail('BAD_FIELD', 'chunk header invalid');
  return { ok: true, value: { header: h.data, bytes: f.value.bytes } };
}

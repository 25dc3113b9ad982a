/**
 * The IPC contract: every channel the renderer may invoke, with the zod schema main parses its
 * request with and the schema its answer must meet. Requests are strict objects (extra fields
 * refused); handles are the opaque random strings main handed out; byte payloads are capped.
 *
 * The preload builds one function per channel from the channel name ('files:read-chunk' →
 * truhe.files.readChunk); see `TruheBridge` below for the resulting shape.
 */
import { z } from 'zod';

/** Largest chunk of file bytes in one message, either direction. */
export const MAX_CHUNK_BYTES = 1024 * 1024;
/** Longest text the renderer may put on the clipboard (a setup code with a 2048-char relay URL fits). */
export const MAX_CLIPBOARD_CHARS = 4096;
/** Opaque handles: 32 random bytes, base64url. */
export const HANDLE_RE = /^[A-Za-z0-9_-]{43}$/;

const handle = z.string().regex(HANDLE_RE, 'not a handle');
const bytes = z
  .custom<Uint8Array>((v) => v instanceof Uint8Array, 'must be a Uint8Array')
  .superRefine((v, ctx) => {
    if (v.byteLength > MAX_CHUNK_BYTES) {
      ctx.addIssue({ code: 'too_big', maximum: MAX_CHUNK_BYTES, origin: 'array', inclusive: true, input: v, message: `more than ${MAX_CHUNK_BYTES} bytes` });
    }
  });
const account = z.string().min(1).max(256);
const empty = z.strictObject({});
const ok = z.null();

export const LOCK_EVENT_REASONS = ['suspend', 'lock-screen', 'user'] as const;

export const IPC_CONTRACT = {
  'files:open': {
    request: z.strictObject({ multiple: z.boolean() }),
    response: z.array(z.strictObject({ handle, name: z.string().max(255), type: z.string().max(100), size: z.number().int().nonnegative() })),
  },
  'files:read-chunk': {
    request: z.strictObject({ handle }),
    response: z.strictObject({ bytes, done: z.boolean() }),
  },
  'files:close': { request: z.strictObject({ handle }), response: ok },
  'export:begin': {
    request: z.strictObject({ suggestedName: z.string().min(1).max(255) }),
    /** null when the user cancelled the save dialog. */
    response: handle.nullable(),
  },
  'export:write': { request: z.strictObject({ handle, bytes }), response: ok },
  /** commit: true moves the finished file into place; false deletes the partial file. */
  'export:end': { request: z.strictObject({ handle, commit: z.boolean() }), response: ok },
  'keychain:available': { request: empty, response: z.boolean() },
  'keychain:remember': {
    request: z.strictObject({ account, secretKey: z.string().min(1).max(256) }),
    response: ok,
  },
  'keychain:recall': { request: z.strictObject({ account }), response: z.string().nullable() },
  'keychain:forget': { request: z.strictObject({ account }), response: ok },
  'system:idle-seconds': { request: empty, response: z.number().int().nonnegative() },
  /** Join links that arrived before the renderer listened; returned once, then cleared. */
  'links:pending': { request: empty, response: z.array(z.string().max(2048)).max(16) },
  'relay:get': { request: empty, response: z.string() },
  /**
   * Sets the relay (the CSP's only connect-src) and reloads the window under the new policy. A
   * change of origin first asks in a native dialog naming the host; declined → NOT_ALLOWED; then
   * one WebSocket to the new relay must open, else RELAY_UNREACHABLE and nothing changes.
   */
  'relay:set': { request: z.strictObject({ url: z.string().min(1).max(2048) }), response: ok },
  /** Puts text on the OS clipboard (a Secret Key, a setup code, an access code). */
  'clipboard:write': { request: z.strictObject({ text: z.string().min(1).max(MAX_CLIPBOARD_CHARS) }), response: ok },
  /** Empties the clipboard only if it still holds exactly `text`; true when it did. */
  'clipboard:clear-if': { request: z.strictObject({ text: z.string().min(1).max(MAX_CLIPBOARD_CHARS) }), response: z.boolean() },
} as const;

export type IpcContract = typeof IPC_CONTRACT;
export type IpcChannel = keyof IpcContract;
export type IpcRequest<C extends IpcChannel> = z.infer<IpcContract[C]['request']>;
export type IpcResponse<C extends IpcChannel> = z.infer<IpcContract[C]['response']>;
export const IPC_CHANNELS = Object.keys(IPC_CONTRACT) as IpcChannel[];

/** Codes main answers with; each is also a VaultErrorCode so the UI already has words for it. */
export const IPC_ERROR_CODES = ['BAD_FORMAT', 'NOT_ALLOWED', 'NOT_FOUND', 'TOO_LARGE', 'INSECURE_RELAY_URL', 'RELAY_UNREACHABLE', 'INTERNAL'] as const;
export type IpcErrorCode = (typeof IPC_ERROR_CODES)[number];

export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: { code: IpcErrorCode; message: string } };

/**
 * Main → renderer events (ipcRenderer.on in the preload). `event:join-links` carries no data:
 * it tells the renderer to take the queued links with `links:pending`, so a link that arrives
 * before the renderer listens is not lost and none is delivered twice.
 */
export const IPC_EVENTS = { lock: 'event:lock', joinLinks: 'event:join-links' } as const;

// ---- the bridge shape the preload derives from the channel names --------------------------
type Camel<S extends string> = S extends `${infer H}-${infer T}` ? `${H}${Capitalize<Camel<T>>}` : S;
type Ns<C> = C extends `${infer N}:${string}` ? N : never;
type Verb<C> = C extends `${string}:${infer V}` ? Camel<V> : never;

export type BridgeCalls = {
  [N in Ns<IpcChannel>]: {
    [C in IpcChannel as Ns<C> extends N ? Verb<C> : never]: (request: IpcRequest<C>) => Promise<IpcResult<IpcResponse<C>>>;
  };
};

export type TruheBridge = BridgeCalls & {
  on: {
    lock(listener: (reason: (typeof LOCK_EVENT_REASONS)[number]) => void): () => void;
    joinLinks(listener: () => void): () => void;
  };
};

/** 'files:read-chunk' → ['files', 'readChunk'] (used by the preload and its test). */
export function bridgePath(channel: string): [string, string] {
  const [ns = '', verb = ''] = channel.split(':');
  return [ns, verb.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase())];
}

/**
 * The one place IPC requests enter main. Pure (no electron import) so tests drive it with a
 * fake event: check the sender, parse the request with the contract, run the handler, check the
 * answer, and reply `{ok:true, value}` or `{ok:false, error:{code, message}}`. Never throws.
 */
import { z } from 'zod';
import { urlOrigin } from './navigation-policy.js';
import { IPC_CONTRACT, type IpcChannel, type IpcErrorCode, type IpcRequest, type IpcResponse, type IpcResult } from './ipc-contract.js';

export class IpcError extends Error {
  override readonly name = 'IpcError';
  constructor(
    readonly code: IpcErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** The parts of Electron's IpcMainInvokeEvent we look at. */
export interface IpcEventLike {
  sender: { id: number };
  senderFrame: { url: string; parent: unknown } | null;
}

export interface TrustedSender {
  webContentsId: number;
  origin: string;
}

/** Only our window's top frame, showing a page of our origin, may call main. */
export function isTrustedSender(event: IpcEventLike, expected: TrustedSender | null): boolean {
  if (expected === null || event.sender.id !== expected.webContentsId) return false;
  const frame = event.senderFrame;
  if (frame === null || frame.parent !== null) return false;
  return urlOrigin(frame.url) === expected.origin;
}

export type IpcHandlers = {
  [C in IpcChannel]: (request: IpcRequest<C>) => Promise<IpcResponse<C>> | IpcResponse<C>;
};

export interface DispatcherDeps {
  handlers: IpcHandlers;
  isTrusted(event: IpcEventLike): boolean;
  /** Gets the code and channel of every failure; never the request. */
  onError?(channel: string, code: IpcErrorCode, cause: unknown): void;
}

export type Dispatch = (channel: string, event: IpcEventLike, args: unknown[]) => Promise<IpcResult<unknown>>;

function describe(error: z.ZodError): { code: IpcErrorCode; message: string } {
  const tooBig = error.issues.some((i) => i.code === 'too_big');
  const where = error.issues
    .slice(0, 3)
    .map((i) => `${i.path.length ? i.path.join('.') : '(request)'}: ${i.message}`)
    .join('; ');
  return { code: tooBig ? 'TOO_LARGE' : 'BAD_FORMAT', message: where };
}

export function createDispatcher(deps: DispatcherDeps): Dispatch {
  const fail = (channel: string, code: IpcErrorCode, message: string, cause?: unknown): IpcResult<never> => {
    deps.onError?.(channel, code, cause);
    return { ok: false, error: { code, message: `${channel}: ${message}` } };
  };
  return async (channel, event, args) => {
    if (!Object.hasOwn(IPC_CONTRACT, channel)) return fail(channel, 'NOT_ALLOWED', 'unknown channel');
    const ch = channel as IpcChannel;
    if (!deps.isTrusted(event)) return fail(ch, 'NOT_ALLOWED', 'sender is not the Truhe window');
    if (args.length !== 1) return fail(ch, 'BAD_FORMAT', `expected exactly one argument, got ${args.length}`);
    const spec = IPC_CONTRACT[ch];
    const parsed = spec.request.safeParse(args[0]);
    if (!parsed.success) {
      const { code, message } = describe(parsed.error);
      return fail(ch, code, `bad request: ${message}`);
    }
    let value: unknown;
    try {
      const handler = deps.handlers[ch] as (r: unknown) => unknown;
      value = await handler(parsed.data);
    } catch (e) {
      if (e instanceof IpcError) return fail(ch, e.code, e.message, e);
      // Node errors carry paths; the renderer never sees them.
      return fail(ch, 'INTERNAL', 'internal error', e);
    }
    const checked = spec.response.safeParse(value);
    if (!checked.success) return fail(ch, 'INTERNAL', 'handler returned a malformed answer', checked.error);
    return { ok: true, value: checked.data };
  };
}

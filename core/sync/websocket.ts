/**
 * The WebSocket the engine needs: the browser's WebSocket API subset that both the DOM
 * WebSocket and Node's `ws` implement. It is injected (WebSocketFactory) so core/ imports no
 * transport: the app passes `(url) => new WebSocket(url)`, Node tests pass `ws`.
 */
export interface WebSocketMessageEvent {
  data: unknown;
}
export interface WebSocketCloseEvent {
  code: number;
  reason: string;
}

export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  /** Bytes queued but not yet sent (back-pressure for uploads). */
  readonly bufferedAmount: number;
  send(data: string | Uint8Array | Blob): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: WebSocketMessageEvent) => void) | null;
  onclose: ((ev: WebSocketCloseEvent) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export type WebSocketFactory = (url: string) => WebSocketLike;

export const WS_OPEN = 1;

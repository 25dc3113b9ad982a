/**
 * "Does a relay answer at this URL?": one WebSocket that either opens (true, then closed at
 * once) or fails, closes or stays silent for `timeoutMs` (false). Never throws. The one probe
 * Electron's main process (relay-control.ts) and the web client (web-platform.ts) use before
 * they offer to switch relays. Which URLs may be probed at all is relay-url.ts's policy; the
 * caller checks that first.
 *
 * The socket is passed in (`connect`) so each side uses its own: the browser's and Electron's
 * global WebSocket by default; Node 20 has none, so tests pass the `ws` package's.
 */

/** The part of a WebSocket the probe touches (the DOM WebSocket and `ws` both fit). */
export interface ProbeSocket {
  onopen: ((ev: never) => unknown) | null;
  onerror: ((ev: never) => unknown) | null;
  onclose: ((ev: never) => unknown) | null;
  close(): void;
}

export interface RelayProbeOptions {
  /** Opens the socket; may throw (bad URL), which counts as "no relay". Default: global WebSocket. */
  readonly connect?: (url: string) => ProbeSocket;
  /** How long to wait for the socket to open. Default 5000 ms. */
  readonly timeoutMs?: number;
}

export const RELAY_PROBE_TIMEOUT_MS = 5000;

function globalWebSocket(url: string): ProbeSocket {
  const WS = (globalThis as { WebSocket?: new (url: string) => ProbeSocket }).WebSocket;
  if (!WS) throw new Error('no WebSocket in this runtime');
  return new WS(url);
}

export function probeRelay(url: string, options: RelayProbeOptions = {}): Promise<boolean> {
  const connect = options.connect ?? globalWebSocket;
  const timeoutMs = options.timeoutMs ?? RELAY_PROBE_TIMEOUT_MS;
  return new Promise((resolve) => {
    let ws: ProbeSocket;
    try {
      ws = connect(url);
    } catch {
      resolve(false);
      return;
    }
    const done = (ok: boolean) => {
      clearTimeout(timer);
      // No-ops, not null: the `ws` package emits 'error' when a connecting socket is closed,
      // and an EventEmitter 'error' with no listener would throw.
      ws.onopen = ws.onerror = ws.onclose = () => undefined;
      try {
        ws.close();
      } catch {
        // closing a socket that never opened may throw in some runtimes; the answer stands
      }
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    ws.onopen = () => done(true);
    ws.onerror = ws.onclose = () => done(false);
  });
}

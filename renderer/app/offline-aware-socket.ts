/**
 * A WebSocketFactory that follows the browser's own online/offline signal. When the OS (or the
 * test harness) reports the network gone, open sockets are dropped at once instead of waiting
 * for TCP to notice, so the status says "offline" and edits wait in the outbox. While offline,
 * new connection attempts are held (no busy retry loop) and released when the network returns,
 * so the engine reconnects right away with its shortest backoff.
 */
import type { WebSocketFactory, WebSocketLike } from '../../core/vault.js';

interface NetworkSignal {
  readonly onLine: boolean;
  addEventListener(type: 'online' | 'offline', listener: () => void): void;
}

class HeldSocket implements WebSocketLike {
  binaryType = 'arraybuffer';
  readyState = 0;
  readonly bufferedAmount = 0;
  onopen: WebSocketLike['onopen'] = null;
  onmessage: WebSocketLike['onmessage'] = null;
  onclose: WebSocketLike['onclose'] = null;
  onerror: WebSocketLike['onerror'] = null;
  constructor(private readonly forget: (s: HeldSocket) => void) {}
  send(): void {
    throw new Error('HeldSocket.send: the browser is offline');
  }
  close(): void {
    this.readyState = 3;
    this.forget(this);
  }
  /** The network is back: report a lost connection so the engine reconnects. */
  release(): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.onclose?.({ code: 1006, reason: 'browser back online' });
  }
}

export function offlineAwareFactory(inner: WebSocketFactory, net: NetworkSignal): WebSocketFactory {
  const live = new Set<WebSocketLike>();
  const held = new Set<HeldSocket>();
  net.addEventListener('offline', () => {
    for (const ws of [...live]) {
      live.delete(ws);
      const onclose = ws.onclose;
      try {
        ws.close(1000, 'browser offline');
      } catch {
        // already closing
      }
      onclose?.({ code: 1006, reason: 'browser offline' });
    }
  });
  net.addEventListener('online', () => {
    for (const s of [...held]) {
      held.delete(s);
      s.release();
    }
  });
  return (url) => {
    if (!net.onLine) {
      const s = new HeldSocket((x) => held.delete(x));
      held.add(s);
      return s;
    }
    for (const old of live) if (old.readyState === 3) live.delete(old); // closed by the relay
    const ws = inner(url);
    live.add(ws);
    const origClose = ws.close.bind(ws);
    ws.close = (code, reason) => {
      live.delete(ws);
      origClose(code, reason);
    };
    return ws;
  };
}

/**
 * One pre-auth request on a short-lived socket (hello → challenge → request → answer → close),
 * for what needs no account: reading an invitation card before anything is created.
 */
import { PROTOCOL_VERSION } from '../../protocol/index.js';
import { VaultError } from '../errors.js';
import { relayErrorCode } from '../sync/close-codes.js';
import { parseRelayText, type OkMessage } from '../sync/wire.js';
import type { WebSocketFactory } from '../sync/websocket.js';

export function preAuthRequest(factory: WebSocketFactory, url: string, msg: Record<string, unknown>, timeoutMs = 15_000): Promise<OkMessage> {
  return new Promise((resolve, reject) => {
    let ws: ReturnType<WebSocketFactory>;
    try {
      ws = factory(url);
    } catch (e) {
      reject(new VaultError('RELAY_UNREACHABLE', 'preAuthRequest: cannot open a WebSocket', { cause: e }));
      return;
    }
    const done = (err: VaultError | null, ok?: OkMessage) => {
      clearTimeout(timer);
      ws.onclose = ws.onmessage = ws.onerror = null;
      try { ws.close(1000, 'done'); } catch { /* closed */ }
      if (err) reject(err); else resolve(ok!);
    };
    const timer = setTimeout(() => done(new VaultError('RELAY_UNREACHABLE', 'preAuthRequest: the relay did not answer')), timeoutMs);
    ws.onopen = () => ws.send(JSON.stringify({ type: 'hello', protocol: PROTOCOL_VERSION }));
    ws.onerror = () => { /* onclose follows */ };
    ws.onclose = () => done(new VaultError('RELAY_UNREACHABLE', 'preAuthRequest: the relay closed the connection'));
    ws.onmessage = (ev) => {
      let m;
      try {
        m = parseRelayText(String(ev.data));
      } catch {
        return done(new VaultError('BAD_FORMAT', 'preAuthRequest: bad frame from the relay'));
      }
      if (m.type === 'challenge') ws.send(JSON.stringify({ ...msg, id: 1 }));
      else if (m.type === 'ok') done(null, m as OkMessage);
      else if (m.type === 'error') done(new VaultError(m.code === 'PROTOCOL_MISMATCH' ? 'PROTOCOL_MISMATCH' : relayErrorCode(m.code), `preAuthRequest: relay answered ${m.code}: ${m.message}`));
    };
  });
}

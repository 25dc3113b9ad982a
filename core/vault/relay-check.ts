/**
 * "Check connection" for a relay the person typed (first run, issue 16): the URL policy first
 * (INSECURE_RELAY_URL / BAD_FORMAT, no network), then one short-lived socket: hello → a Truhe
 * relay answers with its challenge. Nothing is sent beyond the hello and no account is named.
 *   - no connection (refused, DNS, TLS, CSP, timeout before open): RELAY_UNREACHABLE
 *   - connected, but no Truhe challenge (another WebSocket service, garbage, silence): NOT_A_RELAY
 *   - a Truhe relay of another protocol version: PROTOCOL_MISMATCH
 */
import { checkRelayUrlPolicy } from '../../protocol/relay-url.js';
import { PROTOCOL_VERSION } from '../../protocol/index.js';
import { VaultError } from '../errors.js';
import { parseRelayText } from '../sync/wire.js';
import type { WebSocketFactory } from '../sync/websocket.js';

export interface CheckedRelay {
  /** The normalised URL to use. */
  url: string;
  /** `host[:port]` to show. */
  host: string;
}

export function checkRelay(factory: WebSocketFactory, input: string, timeoutMs = 8_000): Promise<CheckedRelay> {
  const v = checkRelayUrlPolicy(input);
  if (!v.ok) return Promise.reject(new VaultError(v.code, `checkRelay: ${v.reason}`));
  const { url, host } = v.relay;
  return new Promise((resolve, reject) => {
    let ws: ReturnType<WebSocketFactory>;
    try {
      ws = factory(url);
    } catch (e) {
      reject(new VaultError('RELAY_UNREACHABLE', `checkRelay: cannot open a connection to ${host}`, { cause: e }));
      return;
    }
    let opened = false;
    const done = (err: VaultError | null) => {
      clearTimeout(timer);
      ws.onopen = ws.onclose = ws.onmessage = ws.onerror = null;
      try { ws.close(1000, 'checked'); } catch { /* closed */ }
      if (err) reject(err);
      else resolve({ url, host });
    };
    const notRelay = () => new VaultError('NOT_A_RELAY', `checkRelay: ${host} answers, but not as a Truhe relay`);
    const timer = setTimeout(() => done(opened ? notRelay() : new VaultError('RELAY_UNREACHABLE', `checkRelay: no answer from ${host}`)), timeoutMs);
    ws.onopen = () => {
      opened = true;
      ws.send(JSON.stringify({ type: 'hello', protocol: PROTOCOL_VERSION }));
    };
    ws.onerror = () => { /* onclose follows */ };
    ws.onclose = () => done(opened ? notRelay() : new VaultError('RELAY_UNREACHABLE', `checkRelay: cannot connect to ${host}`));
    ws.onmessage = (ev) => {
      let m;
      try {
        m = parseRelayText(String(ev.data));
      } catch {
        return done(notRelay());
      }
      if (m.type === 'challenge') return done(null);
      if (m.type === 'error' && m.code === 'PROTOCOL_MISMATCH') return done(new VaultError('PROTOCOL_MISMATCH', `checkRelay: ${host} speaks another protocol version`));
      done(notRelay());
    };
  });
}

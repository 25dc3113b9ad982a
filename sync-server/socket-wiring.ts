/**
 * One accepted WebSocket, wired to the relay: refused when the relay is full, else a Session
 * keyed by its source network, its frames handled one after another (with per-connection
 * backpressure: dispatch.ts does the work), and its close cleaned up in the registry.
 */
import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import { b64urlEncode } from '../protocol/index.js';
import { awaitReadRoom, Backpressure } from './backpressure.js';
import type { RelayContext } from './context.js';
import { hmac } from './crypto.js';
import { handleBinary, handleText, replyToFailure } from './dispatch.js';
import { sourceNetwork } from './rate-limit.js';
import { Session } from './session.js';

/** The client's address: the first X-Forwarded-For hop behind a trusted proxy, else the socket's peer. */
export function sourceAddress(req: IncomingMessage, trustProxy: boolean): string {
  const fwd = trustProxy ? req.headers['x-forwarded-for'] : undefined;
  const first = (Array.isArray(fwd) ? fwd[0] : fwd)?.split(',')[0]?.trim();
  return first || req.socket.remoteAddress || 'unknown';
}

export interface SocketWiring {
  /** Every open socket (authenticated or not): the heartbeat and shutdown walk it. */
  readonly sockets: Set<Session>;
  readonly maxConnections: number;
  readonly trustProxy: boolean;
}

export function acceptSocket(ctx: RelayContext, wiring: SocketWiring, ws: WebSocket, req: IncomingMessage): void {
  const { metrics, limits, log } = ctx;
  const { sockets } = wiring;
  if (sockets.size >= wiring.maxConnections) {
    // Descriptors are bounded: a full relay refuses (1013 try again later) rather than fail everyone.
    metrics.overloaded('connections');
    ws.close(1013, 'relay full');
    return;
  }
  const network = sourceNetwork(sourceAddress(req, wiring.trustProxy));
  const sourceKey = b64urlEncode(hmac(ctx.secret, 'source', network).subarray(0, 16));
  const s = new Session(ws, sourceKey, metrics, req.socket);
  s.network = network;
  sockets.add(s);
  metrics.connections.inc();
  const bp = new Backpressure(ws, limits.maxInflight);
  ws.on('pong', () => { s.alive = true; });
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    s.alive = true;
    bp.received();
    s.queue = s.queue
      .then(async () => {
        if (s.state === 'closed' || !(await awaitReadRoom(s, limits, metrics))) return;
        await (isBinary ? handleBinary(ctx, s, data) : handleText(ctx, s, data.toString('utf8')));
      })
      .catch((e: unknown) => replyToFailure(ctx, s, e))
      .finally(() => bp.handled());
  });
  ws.on('error', () => {
    metrics.error('BAD_FRAME');
  });
  ws.on('close', (code: number) => {
    log.debug({ event: 'connection_closed', code, kind: s.as?.kind ?? 'none' }, 'connection closed');
    sockets.delete(s);
    metrics.connections.dec();
    if (s.state === 'authed' || (s.state === 'closed' && s.as)) {
      ctx.registry.remove(s);
      metrics.sessions.dec();
    }
    if (s.expiryTimer) clearTimeout(s.expiryTimer);
    s.state = 'closed';
  });
}

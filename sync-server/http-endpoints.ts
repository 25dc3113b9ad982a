/**
 * The relay's plain HTTP answers on the WebSocket's port: `/healthz` (database, disk, fan-out
 * listener, unavailable teams as a count; it names no host, credential or id) and `/metrics`
 * (Prometheus); anything else is 404.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RelayContext } from './context.js';
import type { Fanout } from './fanout/events.js';

export function createHttpHandler(ctx: RelayContext, fanout: Fanout | undefined): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    if (req.url === '/healthz') {
      void ctx.health.report(() => (fanout && !fanout.healthy() ? 'fan-out listener' : null))
        .then((r) => res.writeHead(r.status, { 'content-type': 'text/plain' }).end(r.body));
      return;
    }
    if (req.url === '/metrics') {
      ctx.metrics.registry.metrics().then(
        (body) => res.writeHead(200, { 'content-type': ctx.metrics.registry.contentType }).end(body),
        () => res.writeHead(500).end(),
      );
      return;
    }
    res.writeHead(404).end();
  };
}

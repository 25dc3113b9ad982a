/**
 * Fan-out over PostgreSQL LISTEN/NOTIFY (no extra broker): every instance LISTENs on one
 * channel with a dedicated connection and publishes with pg_notify() on a pooled connection
 * after the change committed. Payload: JSON {o: origin instance, e: event}; an instance ignores
 * its own. If the listening connection drops, handlers.gap() runs (the relay closes its sessions
 * so clients reconnect and re-pull — nothing missed stays missed) and it reconnects with backoff.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Fanout, FanoutEvent, FanoutHandlers } from './events.js';
import { splitEvent } from './events.js';

/** NOTIFY refuses payloads of 8000 bytes or more. */
const MAX_PAYLOAD = 7900;

export interface PgFanoutOptions {
  url: string;
  /** Pool used to publish (the storage's pool does fine). */
  pool: pg.Pool;
  /** Channel name (identifier: letters, digits, underscore). */
  channel?: string;
}

export function createPgFanout(opts: PgFanoutOptions): Fanout {
  const channel = opts.channel ?? 'truhe_relay';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(channel)) throw new RangeError('createPgFanout: bad channel name');
  const origin = randomBytes(9).toString('base64url');
  let client: pg.Client | null = null;
  let handlers: FanoutHandlers | null = null;
  let closed = false;
  let up = false;
  let retry: NodeJS.Timeout | null = null;
  let backoff = 250;

  const onNotification = (n: pg.Notification) => {
    if (n.channel !== channel || !n.payload || !handlers) return;
    let msg: { o?: string; e?: FanoutEvent };
    try {
      msg = JSON.parse(n.payload) as typeof msg;
    } catch {
      return;
    }
    if (msg.o === origin || !msg.e) return;
    handlers.event(msg.e);
  };

  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: opts.url });
    c.on('notification', onNotification);
    const lost = () => {
      if (client !== c) return;
      client = null;
      up = false;
      c.removeAllListeners('notification');
      void c.end().catch(() => undefined);
      if (closed) return;
      handlers?.gap();
      schedule();
    };
    c.on('error', lost);
    c.on('end', lost);
    await c.connect();
    await c.query(`LISTEN ${channel}`);
    client = c;
    up = true;
    backoff = 250;
  };
  const schedule = () => {
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = null;
      connect().catch(() => {
        backoff = Math.min(backoff * 2, 10_000);
        schedule();
      });
    }, backoff);
    retry.unref();
  };

  return {
    async start(h) {
      handlers = h;
      await connect();
    },
    async publish(e) {
      const size = (x: FanoutEvent) => Buffer.byteLength(JSON.stringify({ o: origin, e: x }));
      for (const part of splitEvent(e, MAX_PAYLOAD, size)) {
        await opts.pool.query('SELECT pg_notify($1, $2)', [channel, JSON.stringify({ o: origin, e: part })]);
      }
    },
    healthy: () => up,
    async close() {
      closed = true;
      up = false;
      if (retry) clearTimeout(retry);
      const c = client;
      client = null;
      if (c) await c.end().catch(() => undefined);
    },
  };
}

/** `truhe-relay serve`: open the storage backend, start the relay, stop cleanly on SIGTERM/SIGINT. */
import { readFileSync } from 'node:fs';
import pino from 'pino';
import { isLoopbackHost } from '../../protocol/relay-url.js';
import { createRelay } from '../relay.js';
import { openBackend } from '../storage/postgres/open-backend.js';
import { intOpt, opt, UsageError, type CliCommand, type CliValues } from './options.js';

const LIMIT_FLAGS = [
  ['retention', 'retention'], ['quota-bytes', 'quotaBytes'], ['max-text-frame', 'maxTextFrame'], ['max-binary-frame', 'maxBinaryFrame'],
  ['max-push-records', 'maxPushRecords'], ['orphan-grace-ms', 'orphanGraceMs'], ['sweep-interval-ms', 'sweepIntervalMs'], ['heartbeat-ms', 'heartbeatMs'],
  ['max-teams', 'maxTeams'], ['max-bytes', 'maxBytes'],
  ['max-inflight', 'maxInflight'], ['max-buffered-bytes', 'maxBufferedBytes'], ['slow-reader-ms', 'slowReaderMs'], ['max-connections', 'maxConnections'],
] as const;

async function serve(values: CliValues): Promise<number> {
  const host = opt(values, 'host') ?? '127.0.0.1';
  const port = intOpt(values, 'port') ?? 8443;
  const db = opt(values, 'db');
  const data = opt(values, 'data');
  // No silent default folder: a relay started in the wrong directory would look empty to every client.
  if (!data && !db) throw new UsageError('serve needs --data DIR (where the SQLite files live, e.g. /var/lib/truhe-relay) or --db postgres://…; see truhe-relay serve --help');
  const cert = opt(values, 'tls-cert');
  const key = opt(values, 'tls-key');
  const behindProxy = values['insecure-behind-proxy'] === true || process.env.TRUHE_RELAY_INSECURE_BEHIND_PROXY === '1';
  if (!!cert !== !!key) throw new UsageError('--tls-cert and --tls-key go together');
  // The same loopback rule the clients apply to ws:// URLs (protocol/relay-url.ts).
  if (!cert && !isLoopbackHost(host) && !behindProxy) {
    throw new UsageError(`refusing to serve plain ws:// on non-loopback ${host}: give --tls-cert/--tls-key, or --insecure-behind-proxy when a TLS proxy terminates`);
  }
  const openEnrollment = values['open-enrollment'] === true;
  if (openEnrollment && !isLoopbackHost(host)) throw new UsageError('--open-enrollment is for a loopback development relay only; issue tokens with `truhe-relay enroll`');
  const log = pino({ level: opt(values, 'log-level') ?? 'info', base: undefined, redact: { paths: ['ip', 'address', 'remoteAddress', 'headers', 'req', 'account', 'device', 'team', 'share'], remove: true } }, pino.destination(2));
  const limits: Record<string, number> = {};
  for (const [flag, field] of LIMIT_FLAGS) {
    const v = intOpt(values, flag);
    if (v !== undefined) limits[field] = v;
  }
  const { storage, fanout } = await openBackend({ data: data ?? '', db, poolSize: intOpt(values, 'pool-size') });
  const relay = await createRelay({
    storage, fanout, port, host, log, limits, trustProxy: behindProxy, openEnrollment,
    ...(cert && key ? { tls: { cert: readFileSync(cert), key: readFileSync(key) } } : {}),
  });
  process.stdout.write(`listening on ${relay.url}\n`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ event: 'shutdown', signal }, 'shutting down');
    await relay.close();
    await fanout?.close();
    await storage.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  return 0;
}

export const serveCommand: CliCommand = {
  summary: 'run the relay (SQLite files in --data, or PostgreSQL with --db)',
  options: {
    data: { type: 'string' }, db: { type: 'string' }, 'pool-size': { type: 'string' }, port: { type: 'string' }, host: { type: 'string' },
    'tls-cert': { type: 'string' }, 'tls-key': { type: 'string' }, 'insecure-behind-proxy': { type: 'boolean' }, 'log-level': { type: 'string' },
    retention: { type: 'string' }, 'quota-bytes': { type: 'string' }, 'max-text-frame': { type: 'string' }, 'max-binary-frame': { type: 'string' },
    'max-push-records': { type: 'string' }, 'orphan-grace-ms': { type: 'string' }, 'sweep-interval-ms': { type: 'string' }, 'heartbeat-ms': { type: 'string' },
    'max-inflight': { type: 'string' }, 'max-buffered-bytes': { type: 'string' }, 'slow-reader-ms': { type: 'string' }, 'max-connections': { type: 'string' },
    'max-teams': { type: 'string' }, 'max-bytes': { type: 'string' },
    'open-enrollment': { type: 'boolean' },
  },
  help: `usage: truhe-relay serve --data DIR [options]
       truhe-relay serve --db postgres://… [options]

Runs the relay. Prints one line "listening on <url>" on stdout; JSON logs (no addresses, no ids)
go to stderr. /healthz and /metrics share the port. Every flag can also be given as an
environment variable TRUHE_RELAY_<FLAG> (e.g. TRUHE_RELAY_DATA=/var/lib/truhe-relay).

storage (one of them is required; there is no default folder):
  --data DIR                 folder for the SQLite files (created if missing)
  --db postgres://…          PostgreSQL instead; several relays may share it
  --pool-size N              PostgreSQL connections per relay (default 10)
network:
  --host ADDR                address to listen on (default 127.0.0.1)
  --port N                   port (default 8443; 0 picks a free one)
  --tls-cert FILE --tls-key FILE   serve wss:// directly
  --insecure-behind-proxy    allow plain ws:// on a non-loopback address because a TLS proxy
                             (Caddy, nginx) terminates; trusts X-Forwarded-For for rate limits
limits:
  --retention N              versions kept per item (default 20)
  --quota-bytes N            stored bytes per team: chunks + record bodies (default 10 GiB);
                             beyond it writes get QUOTA_EXCEEDED and clients keep them
  --max-teams N              teams on this relay (default 0: no cap); beyond it team creation
                             gets RELAY_FULL
  --max-bytes N              stored bytes of all teams together (default 0: no cap); beyond it
                             writes get RELAY_QUOTA and clients keep them until room is made
  --max-text-frame N, --max-binary-frame N, --max-push-records N
  --orphan-grace-ms N        age before an unreferenced chunk is swept (default 86400000)
  --sweep-interval-ms N      maintenance sweep period (default 3600000)
  --heartbeat-ms N           ping period; 0 = off (default 30000)
  --max-inflight N           requests in flight per connection before it stops reading (default 64)
  --max-buffered-bytes N     unread answer bytes per connection before answers wait (default 8 MiB)
  --slow-reader-ms N         a connection over that limit this long is closed 4011 (default 15000)
  --max-connections N        sockets at once (default: from the descriptor limit)
team creation:
  --open-enrollment          anyone may create a team (loopback development relay only, as
                             npm start runs it); otherwise each team needs a token from
                             truhe-relay enroll
  --log-level LEVEL          pino level (default info)
`,
  run: serve,
};

/**
 * truhe-relay CLI.
 *   serve   [--port 8443] [--host 127.0.0.1] [--data ./relay-data] [--tls-cert F --tls-key F]
 *           [--insecure-behind-proxy] [--retention 20] [--quota-bytes N] [--orphan-grace-ms 86400000] [--sweep-interval-ms 3600000] [--heartbeat-ms 30000] [--max-text-frame N]
 *           [--max-binary-frame N] [--max-push-records N]     (env: TRUHE_RELAY_PORT, _HOST, _DATA, ...)
 *   backup  --data D --out O --key operator.pub   (encrypted to the operator key; no failed-login rows, no relay secret)
 *   backup-keygen --out F                         (writes F, the secret key: keep it off the relay host, and F.pub)
 *   restore --from O --data D --key F [--force]   (F: the operator secret key file)
 *   migrate --from sqlite:./data --to postgres://…   (copies every team, verifies counts + SHA-256, prints a summary)
 *   enroll  --data D | --db postgres://… [--valid-hours 72]   prints a one-time token that lets one new team be created
 *   serve … [--open-enrollment]   anyone may create a team (only for a loopback development relay, as `npm start` runs it)
 *   serve --db postgres://… [--pool-size 10]   PostgreSQL backend (several instances may share it; LISTEN/NOTIFY fan-out)
 * `serve` prints exactly one stdout line `listening on <url>`; logs (JSON, no addresses or ids) go to stderr.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { backupDataDir, restoreDataDir } from './backup.js';
import { newBackupKeyPair, parsePublicKey, parseSecretKey } from './backup-crypto.js';
import { createRelay } from './relay.js';
import { formatSummary, migrateSqliteToPg } from './migrate.js';
import { openBackend } from './storage/postgres/open-backend.js';
import { issueEnrollmentToken } from './enrollment.js';

const OPTIONS = {
  port: { type: 'string' }, host: { type: 'string' }, data: { type: 'string' }, out: { type: 'string' }, from: { type: 'string' },
  key: { type: 'string' }, 'tls-cert': { type: 'string' }, 'tls-key': { type: 'string' }, 'insecure-behind-proxy': { type: 'boolean' }, force: { type: 'boolean' },
  retention: { type: 'string' }, 'quota-bytes': { type: 'string' }, 'max-text-frame': { type: 'string' },
  'max-binary-frame': { type: 'string' }, 'max-push-records': { type: 'string' }, 'log-level': { type: 'string' },
  db: { type: 'string' }, 'pool-size': { type: 'string' }, to: { type: 'string' }, 'orphan-grace-ms': { type: 'string' }, 'sweep-interval-ms': { type: 'string' },
  'heartbeat-ms': { type: 'string' }, 'open-enrollment': { type: 'boolean' }, 'valid-hours': { type: 'string' },
  'max-inflight': { type: 'string' }, 'max-buffered-bytes': { type: 'string' }, 'slow-reader-ms': { type: 'string' }, 'max-connections': { type: 'string' },
} as const;

class UsageError extends Error {}

function opt(values: Record<string, unknown>, name: string): string | undefined {
  const v = values[name];
  if (typeof v === 'string') return v;
  const env = process.env[`TRUHE_RELAY_${name.toUpperCase().replace(/-/g, '_')}`];
  return env === undefined || env === '' ? undefined : env;
}
function intOpt(values: Record<string, unknown>, name: string): number | undefined {
  const v = opt(values, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new UsageError(`--${name} must be a non-negative integer`);
  return n;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

async function serve(values: Record<string, unknown>): Promise<void> {
  const host = opt(values, 'host') ?? '127.0.0.1';
  const port = intOpt(values, 'port') ?? 8443;
  const data = opt(values, 'data') ?? './relay-data';
  const cert = opt(values, 'tls-cert');
  const key = opt(values, 'tls-key');
  const behindProxy = values['insecure-behind-proxy'] === true || process.env.TRUHE_RELAY_INSECURE_BEHIND_PROXY === '1';
  if (!!cert !== !!key) throw new UsageError('--tls-cert and --tls-key go together');
  if (!cert && !isLoopback(host) && !behindProxy) {
    throw new UsageError(`refusing to serve plain ws:// on non-loopback ${host}: give --tls-cert/--tls-key, or --insecure-behind-proxy when a TLS proxy terminates`);
  }
  const openEnrollment = values['open-enrollment'] === true;
  if (openEnrollment && !isLoopback(host)) throw new UsageError('--open-enrollment is for a loopback development relay only; issue tokens with `truhe-relay enroll`');
  const log = pino({ level: opt(values, 'log-level') ?? 'info', base: undefined, redact: { paths: ['ip', 'address', 'remoteAddress', 'headers', 'req', 'account', 'device', 'team', 'share'], remove: true } }, pino.destination(2));
  const limits: Record<string, number> = {};
  for (const [flag, field] of [['retention', 'retention'], ['quota-bytes', 'quotaBytes'], ['max-text-frame', 'maxTextFrame'], ['max-binary-frame', 'maxBinaryFrame'], ['max-push-records', 'maxPushRecords'], ['orphan-grace-ms', 'orphanGraceMs'], ['sweep-interval-ms', 'sweepIntervalMs'], ['heartbeat-ms', 'heartbeatMs'],
    ['max-inflight', 'maxInflight'], ['max-buffered-bytes', 'maxBufferedBytes'], ['slow-reader-ms', 'slowReaderMs'], ['max-connections', 'maxConnections']] as const) {
    const v = intOpt(values, flag);
    if (v !== undefined) limits[field] = v;
  }
  const { storage, fanout } = await openBackend({ data, db: opt(values, 'db'), poolSize: intOpt(values, 'pool-size') });
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
}

export async function main(argv: string[]): Promise<number> {
  // `truhe-relay --data ./data` (flags only, or nothing) means `serve`.
  const [cmd, ...rest] = argv.length === 0 || argv[0]!.startsWith('--') ? ['serve', ...argv] : argv;
  try {
    const { values } = parseArgs({ args: rest, options: OPTIONS, strict: true });
    if (cmd === 'serve') await serve(values);
    else if (cmd === 'backup') {
      const data = opt(values, 'data'), out = values.out, key = opt(values, 'backup-key') ?? values.key;
      if (!data || !out || !key) throw new UsageError('backup needs --data, --out and --key (the operator public key file, see backup-keygen)');
      const m = await backupDataDir(data, out, parsePublicKey(readFileSync(key, 'utf8')));
      process.stdout.write(`backup of ${m.files.length} files written to ${out} (encrypted)\n`);
    } else if (cmd === 'backup-keygen') {
      const out = values.out;
      if (!out) throw new UsageError('backup-keygen needs --out (the secret key file; the public key goes to <out>.pub)');
      const k = newBackupKeyPair();
      writeFileSync(out, k.secretText, { mode: 0o600, flag: 'wx' });
      writeFileSync(`${out}.pub`, k.publicText, { mode: 0o644, flag: 'wx' });
      process.stdout.write(`secret key written to ${out} (keep it off the relay host), public key to ${out}.pub\n`);
    } else if (cmd === 'restore') {
      const from = values.from, data = opt(values, 'data'), key = values.key;
      if (!from || !data) throw new UsageError('restore needs --from and --data (and --key for an encrypted backup)');
      const m = restoreDataDir(from, data, values.force === true, key ? parseSecretKey(readFileSync(key, 'utf8')) : undefined);
      process.stdout.write(`restored ${m.files.length} files into ${data}\n`);
    } else if (cmd === 'enroll') {
      const hours = intOpt(values, 'valid-hours') ?? 72;
      if (hours < 1 || hours > 24 * 30) throw new UsageError('--valid-hours must be between 1 and 720');
      if (!opt(values, 'data') && !opt(values, 'db')) throw new UsageError('enroll needs --data or --db');
      const { storage } = await openBackend({ data: opt(values, 'data') ?? '', db: opt(values, 'db'), poolSize: 1 });
      try {
        const token = await issueEnrollmentToken(storage, Date.now(), hours * 3600_000);
        process.stdout.write(`${token}\n`);
        process.stderr.write(`truhe-relay: one-time enrollment token, valid ${hours} h: give it to the firm that creates its team\n`);
      } finally {
        await storage.close();
      }
    } else if (cmd === 'migrate') {
      const from = values.from, to = values.to;
      if (!from?.startsWith('sqlite:') || !to || !/^postgres(ql)?:\/\//.test(to)) throw new UsageError('migrate needs --from sqlite:DIR --to postgres://…');
      const s = await migrateSqliteToPg({ from, to, poolSize: intOpt(values, 'pool-size') });
      process.stdout.write(formatSummary(s));
      if (!s.ok) return 1;
    } else throw new UsageError('usage: truhe-relay serve|enroll|backup|backup-keygen|restore|migrate [options]');
    return 0;
  } catch (e) {
    process.stderr.write(`truhe-relay: ${(e as Error).message}\n`);
    return e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ? 2 : 1;
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('sync-server/cli.ts')) {
  void main(process.argv.slice(2)).then((code) => {
    if (code !== 0) process.exit(code);
  });
}

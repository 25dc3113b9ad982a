/** Starting relays for tests: in-process over a storage backend factory, or as a real `serve` process. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pino from 'pino';
import { dataBytes } from './data-dir.js';
import { createRelay, type Relay, type RelayOptions } from '../../../../sync-server/relay.js';
import { createSqliteStorage } from '../../../../sync-server/storage/sqlite/index.js';
import type { RelayStorage } from '../../../../sync-server/storage/types.js';
import { pgBackend } from '../../relay-pg/helpers/pg-backend.js';

export interface Backend {
  name: string;
  make(dir: string): RelayStorage | Promise<RelayStorage>;
  /** Every byte the backend holds for the relay of `dir` (files, or every row's values): "is it gone?" checks. */
  storedBytes(dir: string): Promise<Buffer>;
  /** Rate-limit rows held. */
  authFailureRows(dir: string): Promise<number>;
  /** Frees what make() created outside `dir` (a database). */
  drop?(dir: string): Promise<void>;
}
const sqliteBackend: Backend = {
  name: 'sqlite',
  make: (dir) => createSqliteStorage({ dir }),
  storedBytes: async (dir) => dataBytes(dir),
  authFailureRows: async (dir) => {
    const g = new Database(join(dir, 'global.sqlite'), { readonly: true });
    try { return g.prepare('SELECT count(*) FROM auth_failures').pluck().get() as number; } finally { g.close(); }
  },
};
/** Every storage backend the relay suite runs against. */
export const backends: Backend[] = [sqliteBackend, pgBackend];

export const tempDir = (tag = 'relay') => mkdtempSync(join(tmpdir(), `truhe-${tag}-`));

export async function startInProcess(backend: Backend, opts: Partial<RelayOptions> = {}, dir = tempDir()) {
  const storage = await backend.make(dir);
  const lines: string[] = [];
  const log = pino({ level: 'info', base: undefined }, { write: (s: string) => void lines.push(s) });
  const relay: Relay = await createRelay({ storage, log, port: 0, openEnrollment: true, ...opts });
  return {
    relay, storage, dir, logs: lines, url: relay.url,
    async stop(keep = false) {
      await relay.close();
      await storage.close();
      if (!keep) {
        rmSync(dir, { recursive: true, force: true });
        await backend.drop?.(dir);
      }
    },
  };
}

export interface RelayProcess {
  proc: ChildProcess;
  url: string;
  port: number;
  stderr: string[];
  stop(): Promise<number | null>;
  kill9(): Promise<void>;
}

const ROOT = new URL('../../../../', import.meta.url).pathname;

/** `opts.ulimitN`: run the relay under `ulimit -n N` (bash, then exec: the child's pid is the relay's). */
export async function startProcess(dataDir: string, args: string[] = [], opts: { ulimitN?: number } = {}): Promise<RelayProcess> {
  const own = args.includes('--no-open-enrollment') ? args.filter((a) => a !== '--no-open-enrollment') : ['--open-enrollment', ...args];
  const argv = ['--import', 'tsx', 'sync-server/cli.ts', 'serve', '--port', '0', '--data', dataDir, ...own];
  const proc = opts.ulimitN
    ? spawn('bash', ['-c', `ulimit -n ${opts.ulimitN} && exec "$0" "$@"`, process.execPath, ...argv], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(process.execPath, argv, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const stderr: string[] = [];
  proc.stderr!.on('data', (d: Buffer) => stderr.push(d.toString()));
  const exited = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
  const url = await new Promise<string>((resolve, reject) => {
    let buf = '';
    proc.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = /listening on (\S+)\n/.exec(buf);
      if (m) resolve(m[1]!);
    });
    void exited.then((code) => reject(new Error(`relay exited ${code}: ${stderr.join('')}`)));
  });
  return {
    proc, url, port: Number(new URL(url.replace('ws', 'http')).port), stderr,
    stop: () => { proc.kill('SIGTERM'); return exited; },
    kill9: async () => { proc.kill('SIGKILL'); await exited; },
  };
}

/**
 * Spawns the REAL relay (`node --import tsx sync-server/cli.ts serve --port 0 --data <dir>`)
 * and reads its URL from stdout. kill() sends SIGKILL (crash); restart() starts it again on the
 * same port and data directory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../../', import.meta.url));

/** False until sync-server/cli.ts exists (tests skip instead of failing). */
export const relayAvailable = existsSync(join(root, 'sync-server', 'cli.ts'));

export interface RelayProcess {
  url: string;
  dataDir: string;
  child: ChildProcess;
  kill(): Promise<void>;
  /** Starts it again on the same port and data (with extra CLI flags, if given). */
  restart(args?: string[]): Promise<void>;
  stop(): Promise<void>;
}

function start(dataDir: string, port: number, args: string[] = []): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'sync-server/cli.ts', 'serve', '--host', '127.0.0.1', '--port', String(port), '--data', dataDir, '--open-enrollment', ...args], {
      cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'warn' },
    });
    let out = '';
    let err = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /(wss?:\/\/[^\s"']+)/.exec(out);
      if (m) {
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        resolve({ child, url: m[1]!.replace(/\/$/, '') });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (d: Buffer) => { err += d.toString(); if (err.length > 20_000) err = err.slice(-10_000); });
    child.on('exit', (code) => reject(new Error(`relay exited (${code}) before printing its URL:\n${out}\n${err}`)));
  });
}

export async function startRelay(): Promise<RelayProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'truhe-relay-'));
  let { child, url } = await start(dataDir, 0);
  const port = Number(new URL(url).port);
  const exited = (c: ChildProcess) => new Promise<void>((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once('exit', () => r())));
  const relay: RelayProcess = {
    get url() { return url; },
    dataDir,
    get child() { return child; },
    async kill() {
      child.kill('SIGKILL');
      await exited(child);
    },
    async restart(args?: string[]) {
      const r = await start(dataDir, port, args);
      child = r.child;
      url = r.url;
    },
    async stop() {
      child.kill('SIGTERM');
      await exited(child);
      rmSync(dataDir, { recursive: true, force: true });
    },
  } as RelayProcess;
  return relay;
}

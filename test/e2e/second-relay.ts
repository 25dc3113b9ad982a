/** The second relay the specs start on RELAY2_PORT: a real relay process on its own data directory. */
import { spawn, type ChildProcess } from 'node:child_process';
import { RELAY2_PORT } from './ports.js';

/** Starts it (extra CLI flags, e.g. `--max-bytes`) and resolves once it listens. */
export async function startSecondRelay(dataDir: string, args: string[] = []): Promise<ChildProcess> {
  const p = spawn(process.execPath, ['--import', 'tsx', 'sync-server/cli.ts', 'serve', '--host', '127.0.0.1', '--port', String(RELAY2_PORT), '--data', dataDir, '--open-enrollment', ...args], { stdio: ['ignore', 'pipe', 'ignore'] });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    p.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('listening on')) resolve();
    });
    p.once('exit', (code) => reject(new Error(`second relay exited (${code})`)));
  });
  return p;
}

/** SIGTERM, then waits for it to exit. */
export async function stopSecondRelay(p: ChildProcess): Promise<void> {
  p.kill('SIGTERM');
  await new Promise((r) => (p.exitCode !== null ? r(null) : p.once('exit', r)));
}

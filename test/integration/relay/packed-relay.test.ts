/**
 * The relay as deploy/README.md tells a firm to install it: `npm pack` of the project (its
 * prepack script compiles sync-server/ + protocol/ to dist/relay), the tarball unpacked into an
 * empty folder with the lockfile of the same commit, `npm ci --omit=dev`, then `truhe-relay
 * serve` from there — no tsx, no TypeScript, no dev tree — and one note synced between two
 * devices of the real core through it.
 *
 * Skips with a message when the npm registry cannot be reached (the install needs it).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simDevice, synced, waitFor } from '../sync/helpers/devices.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'truhe-packed-relay-'));
const app = join(tmp, 'app');
const bin = join(app, 'sync-server', 'bin', 'truhe-relay.js');
// The child must not inherit a tsx loader or anything else from the test runner.
const env = { ...process.env, NODE_OPTIONS: '', TRUHE_RELAY_DATA: '' };
let skipReason: string | null = null;
let relay: ChildProcess | undefined;

function npm(args: string[], cwd: string) {
  return spawnSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, encoding: 'utf8', timeout: 8 * 60_000, env: { ...env, npm_config_yes: 'true' } });
}

beforeAll(() => {
  const pack = npm(['pack', '--pack-destination', tmp, '--json'], root);
  if (pack.status !== 0) throw new Error(`npm pack failed:\n${pack.stderr}`);
  const tarball = join(tmp, (JSON.parse(pack.stdout) as { filename: string }[])[0]!.filename);
  mkdirSync(app);
  const untar = spawnSync('tar', ['-xzf', tarball, '--strip-components=1', '-C', app], { encoding: 'utf8' });
  if (untar.status !== 0) throw new Error(`tar failed: ${untar.stderr}`);
  copyFileSync(join(root, 'package-lock.json'), join(app, 'package-lock.json'));
  // --ignore-scripts: better-sqlite3's install script downloads a prebuilt binary from GitHub
  // (unreachable here, as on many locked-down machines) or compiles SQLite for a minute. The
  // project's own build of the same version for the same Node is copied in instead (below).
  const install = npm(['ci', '--omit=dev', '--ignore-scripts', '--prefer-offline'], app);
  if (install.status !== 0) {
    if (/ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|network/i.test(install.stderr)) {
      skipReason = `npm registry unreachable, so the packed relay cannot be installed: ${install.stderr.split('\n').find((l) => /ERR|error/.test(l)) ?? ''}`;
      console.warn(`packed-relay: SKIPPED — ${skipReason}`);
      return;
    }
    throw new Error(`npm install of the packed relay failed:\n${install.stderr}`);
  }
  const version = (dir: string) => (JSON.parse(readFileSync(join(dir, 'node_modules', 'better-sqlite3', 'package.json'), 'utf8')) as { version: string }).version;
  expect(version(app)).toBe(version(root));
  const addon = join('node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  mkdirSync(join(app, addon, '..'), { recursive: true });
  copyFileSync(join(root, addon), join(app, addon));
}, 10 * 60_000);

afterAll(async () => {
  if (relay && relay.exitCode === null) {
    relay.kill('SIGTERM');
    await new Promise((r) => relay!.once('exit', r));
  }
  rmSync(tmp, { recursive: true, force: true });
});

function run(args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], { cwd: app, encoding: 'utf8', env, timeout: 60_000 });
}

describe('the packed relay (npm pack + npm install --omit=dev)', () => {
  it('installs only production packages and the compiled relay, no sources', (ctx) => {
    if (skipReason) return ctx.skip();
    const nm = join(app, 'node_modules');
    for (const dev of ['tsx', 'typescript', 'vite', 'esbuild', 'vitest', 'electron', 'react', 'pdfjs-dist', '@napi-rs/canvas']) {
      expect(existsSync(join(nm, dev)), dev).toBe(false);
    }
    for (const prod of ['better-sqlite3', 'pg', 'pino', 'prom-client', 'ws', 'zod']) expect(existsSync(join(nm, prod)), prod).toBe(true);
    expect(existsSync(join(app, 'dist', 'relay', 'sync-server', 'cli.js'))).toBe(true);
    expect(existsSync(join(app, 'deploy', 'truhe-relay.service'))).toBe(true);
    for (const src of ['sync-server/cli.ts', 'protocol/index.ts', 'core', 'renderer', 'main', 'test']) expect(existsSync(join(app, src)), src).toBe(false);
  });

  it('answers --help and per-command help, and refuses serve without a data folder', (ctx) => {
    if (skipReason) return ctx.skip();
    const help = run(['--help']);
    expect(help.status).toBe(0);
    for (const cmd of ['serve', 'backup', 'restore', 'migrate']) expect(help.stdout).toMatch(new RegExp(`^  ${cmd} `, 'm'));
    const serveHelp = run(['serve', '--help']);
    expect(serveHelp.status).toBe(0);
    expect(serveHelp.stdout).toMatch(/^usage: truhe-relay serve --data DIR/);
    expect(serveHelp.stdout).toContain('--insecure-behind-proxy');
    const restoreHelp = run(['restore', '--help']);
    expect(restoreHelp.stdout).toMatch(/^usage: truhe-relay restore --from OUT --data DIR/);
    const bare = run(['serve', '--port', '0']);
    expect(bare.status).toBe(2);
    expect(bare.stderr).toMatch(/serve needs --data DIR/);
    expect(readdirSync(app).sort()).toEqual(['README.md', 'deploy', 'dist', 'node_modules', 'package-lock.json', 'package.json', 'sync-server']) // no relay-data/ appeared;
    const unknown = run(['serve', '--store', 'x']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/--store/);
  });

  it('serves from the install folder and syncs a note between two devices of the real core', async (ctx) => {
    if (skipReason) return ctx.skip();
    const data = join(tmp, 'data');
    relay = spawn(process.execPath, [bin, 'serve', '--host', '127.0.0.1', '--port', '0', '--data', data], { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    relay.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      relay!.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /^listening on (ws:\/\/127\.0\.0\.1:\d+)\n/m.exec(out);
        if (m) resolve(m[1]!);
      });
      relay!.once('exit', (code) => reject(new Error(`relay exited (${code}):\n${stderr}`)));
    });
    expect(stderr).not.toMatch(/tsx|TypeScript sources/);

    // team creation needs an enrollment token from the installed CLI (the relay runs meanwhile)
    const enroll = spawnSync(process.execPath, [bin, 'enroll', '--data', data], { cwd: app, env, encoding: 'utf8' });
    expect(enroll.status, enroll.stderr).toBe(0);
    const token = enroll.stdout.trim();
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const a = simDevice('packed-a');
    const { vault, kit } = await a.launcher.createTeam({ displayName: 'Owner', teamName: 'Packed firm', enrollmentToken: token, relayUrl: url, password: 'packed relay pw', deviceName: 'a' });
    const share = (await vault.createShare('Packed')).id;
    const item = await vault.saveNote(share, { title: 'From the packed relay', body: 'one note, synced', tags: [] });
    await synced(vault);
    const b = await simDevice('packed-b').launcher.signInNewDevice({ kit, password: 'packed relay pw', deviceName: 'b' });
    await waitFor(b, async () => ((await b.listItems(share)).some((i) => i.id === item) ? true : undefined), 'the note on device b');
    const note = await b.readNote(share, item);
    expect(note.title).toBe('From the packed relay');
    expect(note.body).toBe('one note, synced');
    await vault.lock();
    await b.lock();
    // The relay kept only ciphertext in the folder it was given.
    const files = readdirSync(data);
    expect(files).toContain('global.sqlite');
    expect(files.some((f) => /^team-[0-9a-f]+\.sqlite$/.test(f))).toBe(true);
  }, 120_000);
});

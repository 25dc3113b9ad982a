#!/usr/bin/env node
// `npm start`: a local relay on embedded SQLite, the renderer built once, then the app —
// Electron when its binary exists, otherwise the web client served on loopback and opened in
// the default browser. Ctrl-C stops everything. Plain Node ESM, no extra dependencies.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const RELAY_PORT = Number(process.env.TRUHE_RELAY_PORT ?? 8787);
const WEB_PORT = Number(process.env.TRUHE_WEB_PORT ?? 5173);
const RELAY_URL = `ws://127.0.0.1:${RELAY_PORT}`;
const children = new Set();
let server = null;
let stopping = false;

function run(cmd, args, opts = {}) {
  const child = spawn(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  server?.close();
  server?.closeAllConnections?.();
  setTimeout(() => process.exit(code), 300).unref();
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

function startRelay() {
  if (!existsSync(join(root, 'sync-server', 'cli.ts'))) {
    console.warn('Truhe: sync-server/cli.ts not found; starting without a local relay.');
    return;
  }
  const data = join(root, '.data', 'relay');
  mkdirSync(data, { recursive: true });
  const relay = run(process.execPath, ['--import', 'tsx', 'sync-server/cli.ts', 'serve', '--host', '127.0.0.1', '--port', String(RELAY_PORT), '--data', data, '--open-enrollment']);
  relay.on('exit', (code, signal) => {
    if (!stopping) console.error(`Truhe: the local relay stopped (${signal ?? `exit code ${code}`}); is port ${RELAY_PORT} in use?`);
  });
}

function buildRendererIfMissing() {
  if (existsSync(join(root, 'dist-web', 'index.html'))) return;
  console.log('Truhe: building the renderer (dist-web/ is missing) …');
  const r = spawnSync('npx', ['vite', 'build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) {
    console.error('Truhe: the renderer build failed; see the output above.');
    stop(1);
    return false;
  }
  return true;
}

function electronBinary() {
  try {
    const path = createRequire(import.meta.url)('electron'); // the package's default export is the binary path
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null; // the package throws when its binary was never downloaded
  }
}

function startElectron(binary) {
  const tsc = spawnSync('npx', ['tsc', '-p', 'main/tsconfig.json'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (tsc.status !== 0) return stop(1);
  const app = run(binary, ['.'], { env: { ...process.env, TRUHE_RELAY_URL: RELAY_URL } });
  app.on('exit', () => stop(0));
}

const MIME = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.wasm': 'application/wasm', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.ico': 'image/x-icon', '.woff2': 'font/woff2', '.map': 'application/json',
};
// Same policy as the Electron window (main/csp.ts), with the loopback relay as the one peer.
const CSP = [
  "default-src 'none'", "script-src 'self' 'wasm-unsafe-eval'", "style-src 'self'", "img-src 'self' blob: data:",
  "media-src 'self' blob:", "font-src 'self'", `connect-src 'self' ${RELAY_URL}`, "worker-src 'self'", "manifest-src 'self'",
  "object-src 'none'", "frame-src 'none'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
].join('; ');

function serveWeb() {
  const webRoot = join(root, 'dist-web') + sep;
  server = createServer((req, res) => {
    let path;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      path = '';
    }
    if (path === '/' || path === '') path = '/index.html';
    const file = normalize(join(webRoot, path));
    if (path.includes('\0') || !file.startsWith(webRoot) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    res.writeHead(200, {
      'content-type': MIME[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    });
    createReadStream(file).pipe(res);
  });
  server.on('error', (e) => {
    console.error(`Truhe: cannot serve the web client on 127.0.0.1:${WEB_PORT} (${e.code ?? e.message}).`);
    stop(1);
  });
  server.listen(WEB_PORT, '127.0.0.1', () => openBrowser(`http://127.0.0.1:${WEB_PORT}`));
}

function openBrowser(url) {
  const [cmd, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
  child.on('error', () => console.log(`Truhe: open ${url} in your browser.`));
  child.unref();
}

startRelay();
if (buildRendererIfMissing() !== false) {
  const binary = electronBinary();
  if (binary) {
    startElectron(binary);
  } else {
    console.log(`Truhe: Electron is not installed on this machine (its binary could not be downloaded); opening the web client at http://127.0.0.1:${WEB_PORT} instead.`);
    serveWeb();
  }
}

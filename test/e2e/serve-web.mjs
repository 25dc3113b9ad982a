#!/usr/bin/env node
// Serves dist-web/ on loopback for the end-to-end tests with the same CSP as the app
// (main/csp.ts, scripts/start.js): the built client must work under it. Plain Node, no deps.
// Usage: node test/e2e/serve-web.mjs <port> <relay-url> [more relay URLs the page may switch to]
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const [port = process.env.TRUHE_E2E_PORT ?? '47321', relay = `ws://127.0.0.1:${Number(port) + 1}`, ...moreRelays] = process.argv.slice(2);
const root = join(fileURLToPath(new URL('../..', import.meta.url)), 'dist-web') + sep;
const MIME = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.wasm': 'application/wasm', '.svg': 'image/svg+xml', '.png': 'image/png',
};
const CSP = [
  "default-src 'none'", "script-src 'self' 'wasm-unsafe-eval'", "style-src 'self'", "img-src 'self' blob: data:",
  "media-src 'self' blob:", "font-src 'self'", `connect-src 'self' ${[relay, ...moreRelays].join(' ')}`, "worker-src 'self' blob:", "object-src 'none'",
  "frame-src 'none'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
].join('; ');

createServer((req, res) => {
  let path = new URL(req.url ?? '/', 'http://x').pathname;
  if (path === '/') path = '/index.html';
  const file = normalize(join(root, decodeURIComponent(path)));
  if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404).end('Not found');
    return;
  }
  res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream', 'content-security-policy': CSP, 'cache-control': 'no-store' });
  createReadStream(file).pipe(res);
}).listen(Number(port), '127.0.0.1', () => console.log(`serving dist-web on http://127.0.0.1:${port}`));

/**
 * Maps `app://truhe/<path>` requests to files under the renderer build (dist-web/). Serving
 * our own scheme instead of file:// gives the page a real origin for the CSP and IPC sender
 * checks, and the page cannot read arbitrary files (Electron security checklist item 18).
 */
import { extname, join, normalize, sep } from 'node:path';
import { isAppUrl } from './navigation-policy.js';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json',
  '.bcmap': 'application/octet-stream',
  '.pfb': 'application/octet-stream',
};

export function mimeType(path: string): string {
  return MIME[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Returns the absolute file path for a request URL, or null when the URL is not ours or its
 * path would leave `root` (.., encoded separators, NUL).
 */
export function resolveAppRequest(url: string, root: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (!isAppUrl(url)) return null;
  let path: string;
  try {
    path = decodeURIComponent(u.pathname);
  } catch {
    return null;
  }
  if (path.includes('\0') || path.includes('\\') || path.split('/').includes('..')) return null;
  if (path === '/' || path === '') path = '/index.html';
  const rootNorm = normalize(root.endsWith(sep) ? root : root + sep);
  const full = normalize(join(rootNorm, path));
  return full.startsWith(rootNorm) ? full : null;
}

/** Headers of every app:// response: the CSP (see csp.ts) and a few hardening headers. */
export function appResponseHeaders(path: string, csp: string): Record<string, string> {
  return {
    'content-type': mimeType(path),
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'cache-control': 'no-store',
  };
}

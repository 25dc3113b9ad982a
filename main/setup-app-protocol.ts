import { protocol } from 'electron';
import { readFile } from 'node:fs/promises';
import type { AppContext } from './app-context.js';
import { appResponseHeaders, resolveAppRequest } from './app-protocol-paths.js';
import { contentSecurityPolicy } from './csp.js';
import { APP_SCHEME } from './navigation-policy.js';

/**
 * The renderer is served from app://truhe/ (dist-web/) rather than file://: a real, secure
 * origin that the CSP, the IPC sender check and fetch() can rely on. Must run before `ready`.
 */
export function setupAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** After `ready`: answer app:// requests from dist-web/ with the CSP header on every response. */
export function setupAppProtocol(ctx: AppContext): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const path = resolveAppRequest(request.url, ctx.paths.distWeb);
    if (path === null) return new Response('Not found', { status: 404 });
    try {
      const body = await readFile(path);
      return new Response(body, { headers: appResponseHeaders(path, contentSecurityPolicy(ctx.relayUrl)) });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
}

import { describe, expect, it } from 'vitest';
import { mainWindowOptions } from '../../../main/window-options.js';
import { contentSecurityPolicy, cspDirectives } from '../../../main/csp.js';
import { allowNavigation, allowPermission, decideWindowOpen, isAppUrl } from '../../../main/navigation-policy.js';
import { allowRequest } from '../../../main/request-policy.js';
import { appResponseHeaders, resolveAppRequest } from '../../../main/app-protocol-paths.js';

describe('window options', () => {
  for (const isPackaged of [true, false]) {
    it(`keeps every safety switch on (packaged=${isPackaged})`, () => {
      const wp = mainWindowOptions({ preloadPath: '/x/preload.cjs', isPackaged }).webPreferences!;
      expect(wp.contextIsolation).toBe(true);
      expect(wp.sandbox).toBe(true);
      expect(wp.nodeIntegration).toBe(false);
      expect(wp.nodeIntegrationInWorker).toBe(false);
      expect(wp.nodeIntegrationInSubFrames).toBe(false);
      expect(wp.webSecurity).toBe(true);
      expect(wp.allowRunningInsecureContent).toBe(false);
      expect(wp.experimentalFeatures).toBe(false);
      expect(wp.webviewTag).toBe(false);
      expect(wp.spellcheck).toBe(false);
      expect(wp.preload).toBe('/x/preload.cjs');
      expect(wp).not.toHaveProperty('enableBlinkFeatures');
      expect(wp.devTools).toBe(!isPackaged);
    });
  }
});

describe('content security policy', () => {
  const csp = contentSecurityPolicy('wss://relay.example.de/ws');
  const d = cspDirectives('wss://relay.example.de');

  it('has no wildcard, no unsafe-eval, no unsafe-inline, no remote script/style/font source', () => {
    const tokens = csp.split(/[;\s]+/);
    expect(tokens).not.toContain('*');
    expect(tokens.some((t) => t.includes('*'))).toBe(false);
    expect(tokens).not.toContain("'unsafe-eval'");
    expect(tokens).not.toContain("'unsafe-inline'");
    for (const name of ['script-src', 'style-src', 'font-src', 'worker-src', 'default-src']) {
      for (const src of d[name]!) expect(src).toMatch(/^'(self|none|wasm-unsafe-eval)'$/);
    }
  });

  it('allows exactly self + wasm compilation for scripts', () => {
    expect(d['script-src']).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(d['default-src']).toEqual(["'none'"]);
    expect(d['object-src']).toEqual(["'none'"]);
    expect(d['base-uri']).toEqual(["'none'"]);
    expect(d['frame-ancestors']).toEqual(["'none'"]);
  });

  it('connects only to self and the relay origin (path dropped)', () => {
    expect(csp).toContain("connect-src 'self' wss://relay.example.de;");
    expect(cspDirectives('ws://127.0.0.1:8787')['connect-src']).toEqual(["'self'", 'ws://127.0.0.1:8787']);
  });

  it('refuses a relay that would weaken it', () => {
    expect(() => contentSecurityPolicy('ws://relay.example.de')).toThrow(expect.objectContaining({ code: 'INSECURE_RELAY_URL' }));
    expect(() => contentSecurityPolicy('https://cdn.example.com')).toThrow(expect.objectContaining({ code: 'INSECURE_RELAY_URL' }));
    expect(() => contentSecurityPolicy("wss://a.de; script-src *")).toThrow(expect.objectContaining({ code: 'BAD_FORMAT' }));
  });

  it('is sent with every app:// response', () => {
    const h = appResponseHeaders('/d/index.html', csp);
    expect(h['content-security-policy']).toBe(csp);
    expect(h['content-type']).toBe('text/html; charset=utf-8');
    expect(h['x-content-type-options']).toBe('nosniff');
    expect(appResponseHeaders('/d/a.wasm', csp)['content-type']).toBe('application/wasm');
  });
});

describe('navigation, windows, permissions, requests', () => {
  it('blocks every navigation and new window; only https goes to the OS browser', () => {
    expect(allowNavigation('app://truhe/index.html')).toBe(false);
    expect(allowNavigation('https://evil.example')).toBe(false);
    expect(decideWindowOpen('https://truhe.de/hilfe')).toEqual({ action: 'deny', openExternally: 'https://truhe.de/hilfe' });
    expect(decideWindowOpen('http://truhe.de')).toEqual({ action: 'deny', openExternally: null });
    expect(decideWindowOpen('file:///etc/passwd')).toEqual({ action: 'deny', openExternally: null });
    expect(decideWindowOpen('https://user:pw@x.de')).toEqual({ action: 'deny', openExternally: null });
    expect(decideWindowOpen('not a url')).toEqual({ action: 'deny', openExternally: null });
  });

  it('denies every permission', () => {
    for (const p of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal', 'fullscreen']) {
      expect(allowPermission(p)).toBe(false);
    }
  });

  it('lets requests reach only the relay origin over WebSocket', () => {
    expect(allowRequest('wss://relay.example.de/v1', 'wss://relay.example.de')).toBe(true);
    expect(allowRequest('https://relay.example.de/v1', 'wss://relay.example.de')).toBe(false);
    expect(allowRequest('wss://other.example.de/', 'wss://relay.example.de')).toBe(false);
    expect(allowRequest('https://fonts.googleapis.com/css', 'wss://relay.example.de')).toBe(false);
    expect(allowRequest('wss://relay.example.de/', 'ws://relay.example.de')).toBe(false);
  });

  it('serves only files inside dist-web', () => {
    const root = '/opt/truhe/dist-web';
    expect(isAppUrl('app://truhe/index.html')).toBe(true);
    expect(resolveAppRequest('app://truhe/', root)).toBe('/opt/truhe/dist-web/index.html');
    expect(resolveAppRequest('app://truhe/assets/a.js', root)).toBe('/opt/truhe/dist-web/assets/a.js');
    // The URL parser folds encoded dot segments away: the result stays inside dist-web.
    expect(resolveAppRequest('app://truhe/%2e%2e/%2e%2e/etc/passwd', root)).toBe('/opt/truhe/dist-web/etc/passwd');
    expect(resolveAppRequest('app://truhe/a%5c..%5c..%5cx', root)).toBeNull();
    expect(resolveAppRequest('app://truhe/a%00.js', root)).toBeNull();
    expect(resolveAppRequest('app://other/index.html', root)).toBeNull();
    expect(resolveAppRequest('file:///etc/passwd', root)).toBeNull();
    expect(resolveAppRequest('app://truhe/%E0%A4%A', root)).toBeNull();
  });
});

/**
 * Loopback ports of the e2e web server and relay (playwright.config.ts and the specs).
 * TRUHE_E2E_PORT moves them (web = base, relay = base + 1, second relay = base + 2), so two checkouts can run side by side.
 */
const base = Number(process.env.TRUHE_E2E_PORT ?? 47321);
export const WEB_PORT = base;
export const RELAY_PORT = base + 1;
export const WEB_URL = `http://127.0.0.1:${WEB_PORT}`;
export const RELAY_URL = `ws://127.0.0.1:${RELAY_PORT}`;
/** A second relay (base + 2) that relay-switch.spec.ts starts itself; the web server's CSP allows it too. */
export const RELAY2_PORT = base + 2;
export const RELAY2_URL = `ws://127.0.0.1:${RELAY2_PORT}`;
/** The app's address with the test relay (and optional extra query). */
export function appUrl(extra = ''): string {
  return `/index.html?relay=${encodeURIComponent(RELAY_URL)}${extra}`;
}

/** Fixed loopback ports of the e2e web server and relay (playwright.config.ts and the specs). */
export const WEB_PORT = 47321;
export const RELAY_PORT = 47322;
export const WEB_URL = `http://127.0.0.1:${WEB_PORT}`;
export const RELAY_URL = `ws://127.0.0.1:${RELAY_PORT}`;
/** The app's address with the test relay (and optional extra query). */
export function appUrl(extra = ''): string {
  return `/index.html?relay=${encodeURIComponent(RELAY_URL)}${extra}`;
}

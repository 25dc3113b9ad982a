/**
 * What the window may navigate to, open, or ask for. Nothing, with one exception: plain
 * https:// links the user clicks go to the system browser (never inside the app).
 */

/** Our pages are served from this origin by the app:// protocol handler. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'truhe';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_START_URL = `${APP_ORIGIN}/index.html`;

/**
 * `scheme://host[:port]` of a URL. Node's URL gives origin "null" for schemes it does not know
 * (app:, truhe:), while Chromium treats our registered standard scheme as a real origin; so the
 * origin is built from the parts. Null when the URL does not parse.
 */
export function urlOrigin(url: string): string | null {
  try {
    const u = new URL(url);
    return u.host ? `${u.protocol}//${u.host}` : null;
  } catch {
    return null;
  }
}

export function isAppUrl(url: string): boolean {
  return urlOrigin(url) === APP_ORIGIN;
}

/** `will-navigate` / `will-redirect`: the page never leaves; reloads are not navigations. */
export function allowNavigation(_url: string): false {
  return false;
}

export type WindowOpenDecision = { action: 'deny'; openExternally: string | null };

/** setWindowOpenHandler: always deny a new window; hand https links without credentials to the OS browser. */
export function decideWindowOpen(url: string): WindowOpenDecision {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { action: 'deny', openExternally: null };
  }
  const external = u.protocol === 'https:' && !u.username && !u.password && url.length <= 2048;
  return { action: 'deny', openExternally: external ? u.href : null };
}

/** Permission requests and checks (camera, notifications, clipboard-read, …): all denied. */
export function allowPermission(_permission: string): false {
  return false;
}

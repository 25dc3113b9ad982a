/**
 * `truhe://join?relay=…&team=…&code=<id>.<secret>` (a guest's access code) and
 * `truhe://team?relay=…&team=…&invite=<id>.<secret>` (a team invitation) links the OS hands the
 * app (protocol handler, second launch, macOS open-url). Main forwards a link to the renderer
 * only after it parses here; the renderer (core) then checks the code itself.
 */
import { relayOrigin, RelayUrlError } from './relay-origin.js';

export const DEEP_LINK_SCHEME = 'truhe';
export const MAX_DEEP_LINK_LENGTH = 2048;

export class DeepLinkError extends Error {
  override readonly name = 'DeepLinkError';
  readonly code = 'BAD_FORMAT' as const;
}

export interface JoinLink {
  /** `join`: an access code (guest); `team`: a team invitation. */
  kind: 'join' | 'team';
  relay: string;
  team: string;
  /** The code (`join`) or the invitation (`team`), `<id>.<secret>`. */
  code: string;
  share?: string;
  /** The link re-serialised from the checked parts; this is what the renderer receives. */
  href: string;
}

const ID_RE = /^[A-Za-z0-9_-]{1,128}$/;
const CODE_RE = /^[A-Za-z0-9_-]{1,128}\.[A-Za-z0-9_-]{1,256}$/;
const ALLOWED_PARAMS = { join: new Set(['relay', 'team', 'code', 'share']), team: new Set(['relay', 'team', 'invite']) };

function fail(why: string): never {
  throw new DeepLinkError(`parseJoinLink: ${why}`);
}

/** Parses and checks a join link. Throws DeepLinkError (code BAD_FORMAT) saying what is wrong. */
export function parseJoinLink(raw: unknown): JoinLink {
  if (typeof raw !== 'string') fail('link must be a string');
  if (raw.length > MAX_DEEP_LINK_LENGTH) fail(`link longer than ${MAX_DEEP_LINK_LENGTH} characters`);
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f]/.test(raw)) fail('link contains whitespace or control characters');
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    fail('not a URL');
  }
  if (u.protocol !== `${DEEP_LINK_SCHEME}:`) fail(`scheme must be ${DEEP_LINK_SCHEME}:`);
  if (u.username || u.password || u.port) fail('credentials or port are not allowed');
  const kind = u.host === 'join' || u.host === 'team' ? u.host : fail('only truhe://join and truhe://team links are supported');
  if (u.pathname !== '' && u.pathname !== '/') fail('only truhe://join and truhe://team links are supported');
  if (u.hash) fail('fragment is not allowed');
  const seen = new Set<string>();
  for (const [key] of u.searchParams) {
    if (!ALLOWED_PARAMS[kind].has(key)) fail(`unknown parameter "${key.slice(0, 32)}"`);
    if (seen.has(key)) fail(`parameter "${key}" given twice`);
    seen.add(key);
  }
  const relay = u.searchParams.get('relay') ?? fail('relay parameter missing');
  const team = u.searchParams.get('team') ?? fail('team parameter missing');
  const code = u.searchParams.get(kind === 'team' ? 'invite' : 'code') ?? fail(`${kind === 'team' ? 'invite' : 'code'} parameter missing`);
  const share = u.searchParams.get('share') ?? undefined;
  try {
    relayOrigin(relay);
  } catch (e) {
    fail(`relay: ${e instanceof RelayUrlError ? e.message : 'invalid'}`);
  }
  if (!ID_RE.test(team)) fail('team must be 1..128 characters of A-Z a-z 0-9 _ -');
  if (!CODE_RE.test(code)) fail(`${kind === 'team' ? 'invite' : 'code'} must look like <id>.<secret>`);
  if (share !== undefined && !ID_RE.test(share)) fail('share must be 1..128 characters of A-Z a-z 0-9 _ -');
  const params = new URLSearchParams(kind === 'team' ? { relay, team, invite: code } : { relay, team, code });
  if (share !== undefined) params.set('share', share);
  return { kind, relay, team, code, ...(share !== undefined ? { share } : {}), href: `truhe://${kind}?${params.toString()}` };
}

/**
 * Finds the first `truhe:` argument in a command line (Windows/Linux pass the link as an
 * argument on launch and to `second-instance`). Returns the parsed link, or null when there is
 * none or it does not parse (the caller logs the error code, never the link: it holds a code).
 */
export function joinLinkFromArgv(argv: readonly string[]): JoinLink | null {
  const arg = argv.find((a) => typeof a === 'string' && a.toLowerCase().startsWith(`${DEEP_LINK_SCHEME}:`));
  if (arg === undefined) return null;
  try {
    return parseJoinLink(arg);
  } catch {
    return null;
  }
}

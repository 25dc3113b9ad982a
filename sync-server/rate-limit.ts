/**
 * The relay's one rate-limit policy, used by every storage backend: how long a key is refused
 * after its n-th failed authentication, and what a key is. A key is (source network, team,
 * credential): a bad actor behind a NAT slows only the credential it attacks, never a device of
 * another team behind the same address; an IPv6 source counts by its /64 (one subscriber's
 * prefix), so rotating addresses inside it does not reset the count. Keys are HMACs under the
 * relay secret: no address is stored.
 */
import { isIPv6 } from 'node:net';
import { b64urlEncode } from '../protocol/index.js';
import { hmac } from './crypto.js';
import type { AuthFailureState, RateLimitPolicy } from './storage/types.js';

/** The state after the `count`-th failure at `now` (unix ms): free, exponential backoff, then a block. */
export function failureState(count: number, now: number, p: RateLimitPolicy): AuthFailureState {
  const blockedUntil = count >= p.blockAfter ? now + p.blockMs
    : count > p.freeFailures ? now + Math.min(p.maxBackoffMs, 1000 * 2 ** (count - p.freeFailures - 1)) : 0;
  return { count, blockedUntil };
}

/**
 * Whether a stored state refuses attempts at `now` (unix ms). Wall-clock jumps: a clock set
 * forward ends a refusal early (by at most the jump); a clock set back would stretch refusals and
 * retention, so the sweep also deletes rows stamped in the future (`purgeAuthFailures(before,
 * after)`): after a jump back a refusal ends at the next sweep and no row outlives R13's 7 days.
 */
export function isLimited(st: AuthFailureState | null, now: number): boolean {
  return !!st && st.blockedUntil > now;
}

/** Rows last touched more than this far in the future were written under a clock since set back (ms). */
export const FUTURE_SKEW_MS = 5 * 60_000;

/** The network a source address counts as: the address itself (IPv4), its /64 (IPv6). */
export function sourceNetwork(address: string): string {
  const a = address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
  if (!isIPv6(a)) return a;
  const [head = '', tail = ''] = a.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = a.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((g) => (parseInt(g || '0', 16) || 0).toString(16)).join(':')}::/64`;
}

/** The rate-limit key of an attempt (16 bytes of HMAC, base64url). */
export function rateLimitKey(secret: Uint8Array, network: string, team: string, credential: string): string {
  return b64urlEncode(hmac(secret, 'rate-limit', network, team, credential).subarray(0, 16));
}

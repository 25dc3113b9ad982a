/**
 * The client's roster verifier: the shared rules (protocol/roster.ts) plus what only a client
 * can check — every entry's signature by its author's key as pinned by the roster at that point,
 * every device certificate by its account's key, and the genesis against a pin the device trusts
 * (its own keys, an invitation card's roster head, or its account's signed checkpoint).
 * A relay that invents, drops, reorders or rewrites an entry fails here: LOG_FORKED (chain),
 * BAD_SIGNATURE, NOT_ALLOWED (rules) or BAD_FORMAT.
 */
import { canonicalBytes } from '../canonical.js';
import { fromB64url, toB64url } from '../encoding.js';
import { VaultError } from '../errors.js';
import { sha256 } from '../crypto/hash.js';
import { signDetached, verifyDetached } from '../crypto/sign.js';
import type { SignPublicKey, SignSecretKey } from '../crypto/key-types.js';
import {
  applyRosterEntry, cloneRoster, deviceCertPayload, DEVICE_CERT_DOMAIN, parseWith, RosterEntry as RosterEntrySchema, ROSTER_DOMAIN, RosterRuleError,
  type RosterEntry, type RosterOp, type RosterState,
} from '../../protocol/index.js';

export type { RosterEntry, RosterOp, RosterState } from '../../protocol/index.js';
const ZERO_HASH = 'A'.repeat(43);

export function rosterEntryHash(e: RosterEntry): string {
  return toB64url(sha256(canonicalBytes(e)));
}

export function signRosterEntry(unsigned: Omit<RosterEntry, 'sig'>, sk: SignSecretKey): RosterEntry {
  return { ...unsigned, sig: toB64url(signDetached(sk, ROSTER_DOMAIN, canonicalBytes(unsigned))) } as RosterEntry;
}

/** The next signed entry after `state` (the genesis when state is null). */
export function nextRosterEntry(team: string, state: RosterState | null, author: string, op: RosterOp, ts: number, sk: SignSecretKey): RosterEntry {
  return signRosterEntry({ team, index: state ? state.length : 0, prev: state ? state.lastHash : ZERO_HASH, ts, author, op } as Omit<RosterEntry, 'sig'>, sk);
}

export function deviceCert(sk: SignSecretKey, team: string, account: string, device: string, signPk: string): string {
  return toB64url(signDetached(sk, DEVICE_CERT_DOMAIN, canonicalBytes(deviceCertPayload(team, account, device, signPk))));
}

/** Structure check of an entry from the relay or the local store. Throws BAD_FORMAT. */
export function parseRosterEntry(raw: unknown): RosterEntry {
  let v = raw;
  if (typeof raw === 'string') {
    try { v = JSON.parse(raw); } catch (cause) { throw new VaultError('BAD_FORMAT', 'parseRosterEntry: not JSON', { cause }); }
  }
  const r = parseWith(RosterEntrySchema, v);
  if (!r.ok) throw new VaultError('BAD_FORMAT', `parseRosterEntry: ${r.message}`);
  return r.value;
}

/** A trust anchor for a roster this device has not verified before. */
export type RosterPin =
  /** The founder's own keys (this account created the team). */
  | { kind: 'founder'; account: string; signPk: string; boxPk: string }
  /** Entry `length - 1` has hash `hash` (an invitation card; a signed checkpoint). */
  | { kind: 'head'; length: number; hash: string };

function ruleError(e: unknown, index: number): never {
  if (e instanceof RosterRuleError) {
    const code = e.code === 'LOG_CONFLICT' ? 'LOG_FORKED' : e.code === 'BAD_FIELD' ? 'BAD_FORMAT' : 'NOT_ALLOWED';
    throw new VaultError(code, `verifyRoster: ${e.message}`);
  }
  throw e instanceof VaultError ? e : new VaultError('BAD_FORMAT', `verifyRoster: entry ${index}: ${(e as Error)?.message ?? 'invalid'}`);
}

/**
 * Verifies `entries` (ascending) on top of `from` (a state verified before) or from the genesis,
 * and returns the new state; `from` is never modified. Entries already verified are compared
 * (a different one = LOG_FORKED). `pins` must all hold once the entries are applied.
 */
export function verifyRoster(team: string, entries: RosterEntry[], from: RosterState | null, pins: RosterPin[] = [], hashes: string[] = []): { state: RosterState; hashes: string[] } {
  let s = from ? cloneRoster(from) : null;
  const known = [...hashes];
  for (const e of entries) {
    const h = rosterEntryHash(e);
    if (e.team !== team) throw new VaultError('BAD_FORMAT', `verifyRoster: entry ${e.index} belongs to another team`);
    if (s && e.index < s.length) {
      if (known[e.index] !== undefined && known[e.index] !== h) throw new VaultError('LOG_FORKED', `verifyRoster: entry ${e.index} differs from the one already verified`);
      continue;
    }
    const signPk = s ? s.members.get(e.author)?.signPk : e.op.t === 'genesis' ? e.op.signPk : undefined;
    if (!signPk) ruleError(new RosterRuleError('NOT_ALLOWED', `roster entry ${e.index}: author is not a member`), e.index);
    const { sig, ...unsigned } = e;
    verifyDetached(fromB64url(signPk!) as SignPublicKey, ROSTER_DOMAIN, canonicalBytes(unsigned), fromB64url(sig));
    try {
      s = applyRosterEntry(s, e, h);
    } catch (err) {
      ruleError(err, e.index);
    }
    if (e.op.t === 'device.add') {
      const acc = s!.members.get(e.op.account)!;
      verifyDetached(fromB64url(acc.signPk) as SignPublicKey, DEVICE_CERT_DOMAIN, canonicalBytes(deviceCertPayload(team, e.op.account, e.op.device, e.op.signPk)), fromB64url(e.op.cert));
    }
    known[e.index] = h;
  }
  if (!s) throw new VaultError('NOT_FOUND', `verifyRoster: team ${team} has no roster`);
  for (const p of pins) {
    if (p.kind === 'founder') {
      const g = s.members.get(s.owner)!;
      if (s.owner !== p.account || g.signPk !== p.signPk || g.boxPk !== p.boxPk) throw new VaultError('LOG_FORKED', 'verifyRoster: the genesis does not pin the founder this device knows');
    } else {
      if (s.length < p.length) throw new VaultError('LOG_ROLLED_BACK', `verifyRoster: the roster has ${s.length} entries, this device has seen ${p.length}`);
      if (p.length > 0 && known[p.length - 1] !== p.hash) throw new VaultError('LOG_FORKED', `verifyRoster: entry ${p.length - 1} differs from the pinned one`);
    }
  }
  return { state: s, hashes: known };
}

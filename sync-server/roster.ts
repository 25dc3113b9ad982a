/**
 * The relay's side of the team roster: replays the stored entries with the shared rules
 * (protocol/roster.ts) and plans an append: which table changes it implies. Signatures are the
 * clients' to verify; the relay enforces who is authenticated and what the rules allow.
 */
import {
  applyRosterEntry, canonicalBytes, canonicalJson, cloneRoster, DEVICE_CERT_DOMAIN, deviceCertPayload, ROSTER_DOMAIN, RosterRuleError,
  type RosterEntry, type RosterState, type TeamWrap,
} from '../protocol/index.js';
import { Refusal } from './access.js';
import { sha256b64url, verifyEd25519 } from './crypto.js';
import type { RosterEffects, TeamStore } from './storage/types.js';

export function rosterEntryHash(e: RosterEntry): string {
  return sha256b64url(new TextEncoder().encode(canonicalJson(e)));
}

/** The roster state from the stored entries (null for a team without one). */
export async function loadRoster(store: TeamStore): Promise<RosterState | null> {
  let s: RosterState | null = null;
  for (const e of await store.getRoster(0)) s = applyRosterEntry(s, e, rosterEntryHash(e));
  return s;
}

/**
 * Each entry's signature by its author's roster key (the genesis: by the key it names) and each
 * device.add's certificate by its account's key, replaying the batch on a copy (a join earlier
 * in the batch makes the account whose certificate follows). Clients check these too; the relay
 * checks them before storing so that no member can make the append-only roster unverifiable
 * for everyone with a badly signed entry. Throws Refusal(BAD_FIELD); rule errors are planRoster's.
 */
export function checkRosterSignatures(state: RosterState | null, entries: RosterEntry[]): void {
  let cur = state ? cloneRoster(state) : null;
  for (const e of entries) {
    const signPk = cur ? cur.members.get(e.author)?.signPk : e.op.t === 'genesis' ? e.op.signPk : undefined;
    const { sig, ...unsigned } = e;
    if (!signPk || !verifyEd25519(signPk, canonicalBytes(unsigned, ROSTER_DOMAIN), sig)) {
      throw new Refusal('BAD_FIELD', `roster entry ${e.index}: not signed by its author's key`);
    }
    try {
      cur = applyRosterEntry(cur, e, rosterEntryHash(e));
    } catch (err) {
      if (err instanceof RosterRuleError) return; // planRoster reports it
      throw err;
    }
    if (e.op.t === 'device.add') {
      const acc = cur.members.get(e.op.account)!;
      const payload = canonicalBytes(deviceCertPayload(e.team, e.op.account, e.op.device, e.op.signPk), DEVICE_CERT_DOMAIN);
      if (!verifyEd25519(acc.signPk, payload, e.op.cert)) throw new Refusal('BAD_FIELD', `roster entry ${e.index}: the device certificate is not by its account's key`);
    }
  }
}

/**
 * Applies `entries` by `author` to a copy of `state` under the shared rules; returns the
 * effects, or throws Refusal (NOT_ALLOWED / BAD_FIELD / LOG_CONFLICT). `wraps` must address
 * active members at known epochs. Signatures: checkRosterSignatures, before this.
 */
export function planRoster(state: RosterState | null, author: string, entries: RosterEntry[], wraps: TeamWrap[]): { next: RosterState; fx: RosterEffects } {
  let next = state ? cloneRoster(state) : null;
  const fx: RosterEffects = { setRoles: [], removed: [], revokedDevices: [], joined: [] };
  for (const e of entries) {
    if (e.author !== author) throw new Refusal('NOT_ALLOWED', 'roster: entry author is not the authenticated account');
    try {
      next = applyRosterEntry(next, e, rosterEntryHash(e));
    } catch (err) {
      if (err instanceof RosterRuleError) throw new Refusal(err.code, err.message);
      throw err;
    }
    const op = e.op;
    if (op.t === 'join' || op.t === 'role') fx.setRoles.push({ account: op.account, role: op.role });
    if (op.t === 'join') fx.joined.push(op.account);
    if (op.t === 'remove') fx.removed.push(op.account);
    if (op.t === 'device.revoke') fx.revokedDevices.push({ device: op.device, index: e.index });
    if (op.t === 'remove') {
      for (const d of next.devices.values()) if (d.account === op.account && d.revokedAt === e.index) fx.revokedDevices.push({ device: d.device, index: e.index });
    }
  }
  for (const w of wraps) {
    const m = next!.members.get(w.account);
    if (!m || !m.active) throw new Refusal('BAD_FIELD', 'roster: team key wrapped for a non-member');
    if (w.epoch > next!.epoch) throw new Refusal('BAD_FIELD', 'roster: team key wrap for a future epoch');
  }
  return { next: next!, fx };
}

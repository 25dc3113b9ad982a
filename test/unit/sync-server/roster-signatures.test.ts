/**
 * The relay's roster signature check (sync-server/roster.ts checkRosterSignatures), each case
 * breaking exactly one rule: every entry signed by its author's roster key (the genesis by the key
 * it names), every device.add certificate by its account's key, later entries of a batch checked
 * against the state the earlier ones make; a rule error is left to planRoster (no throw here).
 * Real Ed25519 signatures (the relay tests' roster builder).
 */
import { describe, expect, it } from 'vitest';
import { applyRosterEntry, type RosterEntry, type RosterState } from '../../../protocol/index.js';
import { refusal } from './refusal.js';
import { checkRosterSignatures, rosterEntryHash } from '../../../sync-server/roster.js';
import { b64 } from '../../integration/relay/helpers/client.js';
import { newMember, RosterLog, type Member } from '../../integration/relay/helpers/fixtures.js';

const asEntries = (xs: unknown[]) => xs as RosterEntry[];
function stateOf(entries: RosterEntry[]): RosterState {
  let s: RosterState | null = null;
  for (const e of entries) s = applyRosterEntry(s, e, rosterEntryHash(e));
  return s!;
}
function team(): { log: RosterLog; owner: Member; genesis: RosterEntry[] } {
  const log = new RosterLog(b64(16).slice(0, 22));
  const owner = newMember();
  return { log, owner, genesis: asEntries(log.genesis(owner)) };
}

describe('relay roster: checkRosterSignatures', () => {
  it('accepts a genesis batch signed by the key it names, with its device certificate', () => {
    const { genesis } = team();
    expect(() => checkRosterSignatures(null, genesis)).not.toThrow();
  });
  it('refuses a genesis signed by another key than the one it names', () => {
    const log = new RosterLog(b64(16).slice(0, 22));
    const owner = newMember();
    const intruder = newMember();
    const g = log.entry({ ...intruder, account: owner.account }, { t: 'genesis', owner: owner.account, boxPk: owner.boxPk, signPk: owner.sign.pk, nameEnc: b64(40), teamNameEnc: b64(40), epoch: 0, keyCommit: b64(32) });
    const r = refusal(() => checkRosterSignatures(null, asEntries([g])));
    expect(r.code).toBe('BAD_FIELD');
    expect(r.message).toBe("roster entry 0: not signed by its author's key");
  });
  it('refuses an entry changed after it was signed', () => {
    const { genesis } = team();
    const changed = [{ ...genesis[0]!, ts: genesis[0]!.ts + 1 }, genesis[1]!];
    expect(refusal(() => checkRosterSignatures(null, asEntries(changed))).message).toBe("roster entry 0: not signed by its author's key");
  });
  it('refuses a device.add whose certificate is not by its account key', () => {
    const log = new RosterLog(b64(16).slice(0, 22));
    const owner = newMember();
    const stranger = newMember();
    const g = log.entry(owner, { t: 'genesis', owner: owner.account, boxPk: owner.boxPk, signPk: owner.sign.pk, nameEnc: b64(40), teamNameEnc: b64(40), epoch: 0, keyCommit: b64(32) });
    const op = log.deviceAdd(owner);
    const forged = log.entry(owner, { ...op, cert: log.deviceAdd({ ...stranger, account: owner.account, device: owner.device, deviceKeys: owner.deviceKeys }).cert });
    const r = refusal(() => checkRosterSignatures(null, asEntries([g, forged])));
    expect(r.code).toBe('BAD_FIELD');
    expect(r.message).toBe("roster entry 1: the device certificate is not by its account's key");
  });
  it('checks later entries against the stored state: by a member, fine; by someone not in the roster, refused', () => {
    const { log, owner, genesis } = team();
    const state = stateOf(genesis);
    const ok = log.entry(owner, { t: 'invite.revoke', invite: b64(16).slice(0, 22) });
    // (a rule error — revoking an unknown invitation — is planRoster's to report: no throw here)
    expect(() => checkRosterSignatures(state, asEntries([ok]))).not.toThrow();
    const outsider = newMember();
    const bad = new RosterLog(log.team);
    bad.entries = [...log.entries.slice(0, 2)];
    const e = bad.entry(outsider, { t: 'invite.revoke', invite: b64(16).slice(0, 22) });
    expect(refusal(() => checkRosterSignatures(state, asEntries([e]))).message).toBe(`roster entry ${e.index}: not signed by its author's key`);
  });
  it('does not change the state it is given (it replays on a copy)', () => {
    const { log, owner, genesis } = team();
    const state = stateOf(genesis);
    const before = JSON.stringify([...state.members.keys()]) + state.length;
    const n = newMember();
    checkRosterSignatures(state, asEntries([log.entry(owner, log.deviceAdd(owner, n.device, n.deviceKeys.pk))]));
    expect(JSON.stringify([...state.members.keys()]) + state.length).toBe(before);
  });
});

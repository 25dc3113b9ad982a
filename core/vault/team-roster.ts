/**
 * The team roster on this device: the verified state (core/model/roster.ts), the entries in the
 * local store (rows of the log table under the team id), the team keys of every epoch this
 * account was given, and appends. It takes only the small ports it needs, not the Session.
 */
import { VaultError, isVaultError } from '../errors.js';
import type { ShareId, TeamId } from '../ids.js';
import type { TeamKey } from '../crypto/key-types.js';
import { wipe } from '../crypto/wipe.js';
import type { AccountKeys } from '../model/account.js';
import { nextRosterEntry, parseRosterEntry, verifyRoster, type RosterEntry, type RosterOp, type RosterPin, type RosterState } from '../model/roster.js';
import { openTeamText, unwrapTeamKey } from '../model/team-keys.js';
import { canonicalJson } from '../canonical.js';
import { Results, type TeamWrap } from '../../protocol/index.js';
import type { VaultStore } from '../store/vault-store.js';
import type { Clock } from '../sync/clock.js';
import type { Connection } from '../sync/connection.js';

export interface RosterPorts {
  store: VaultStore;
  conn: Connection;
  keys: AccountKeys;
  clock: Clock;
}

/** Ops are checked against the protocol schema (and the rules) before anything is sent. */
export interface RosterChange {
  ops: ({ t: RosterOp['t'] } & Record<string, unknown>)[];
  wraps: TeamWrap[];
}

export class TeamRoster {
  state: RosterState | null = null;
  private hashes: string[] = [];
  private readonly teamKeys = new Map<number, TeamKey>();
  /** Names opened so far (for synchronous labels); filled by warmNames() after each change. */
  private readonly names = new Map<string, string>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly p: RosterPorts) {}

  private get team(): TeamId {
    return this.p.keys.team;
  }
  /** Local rows are keyed like a share log, under the team id (ids are random: no collision). */
  private get key(): ShareId {
    return this.team as unknown as ShareId;
  }

  onChange(l: () => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** Replays the stored entries (verified when they were stored; re-verified here, cheaply). */
  async load(): Promise<RosterState | null> {
    const rows = await this.p.store.getLogEntries(this.key);
    if (rows.length === 0) return null;
    const out = verifyRoster(this.team, rows.map((r) => parseRosterEntry(r.raw)), null);
    this.state = out.state;
    this.hashes = out.hashes;
    return this.state;
  }

  /** The pins this device holds for a roster it has not stored yet (a checkpoint, an invitation card). */
  private async storedPins(): Promise<RosterPin[]> {
    const pin = (await this.p.store.getAccount())?.rosterPin;
    return pin ? [{ kind: 'head', length: pin.length, hash: pin.hash }] : [];
  }

  /**
   * Fetches entries after the verified head (asking from the head itself: a relay that no longer
   * has it rolled the roster back), verifies them, stores them and the team key wraps.
   */
  async sync(extraPins: RosterPin[] = []): Promise<RosterState> {
    const cur = this.state ?? (await this.load());
    const since = cur ? cur.length - 1 : 0;
    const ans = Results['roster.get'].safeParse(await this.p.conn.request({ type: 'roster.get', since }));
    if (!ans.success) throw new VaultError('BAD_FORMAT', 'TeamRoster.sync: bad roster.get answer');
    const entries = ans.data.entries.map((e) => parseRosterEntry(e));
    if (cur && (entries.length === 0 || entries[0]!.index !== since)) throw new VaultError('LOG_ROLLED_BACK', `TeamRoster.sync: the relay no longer has roster entry ${since}`);
    const pins = cur ? extraPins : [...(await this.storedPins()), ...extraPins];
    const out = verifyRoster(this.team, entries, cur, pins, this.hashes);
    if (!cur || out.state.length !== cur.length) {
      const fresh = entries.filter((e) => !cur || e.index >= cur.length);
      await this.p.store.putLogEntries(fresh.map((e) => ({ share: this.key, index: e.index, raw: canonicalJson(e) })));
      this.state = out.state;
      this.hashes = out.hashes;
      for (const l of this.listeners) l();
    }
    const wraps = ans.data.wraps.filter((w) => String(w.account) === String(this.p.keys.account));
    if (wraps.length) await this.p.store.putWrappedKeys(wraps.map((w) => ({ share: this.key, epoch: w.epoch, to: { kind: 'account' as const, id: w.account }, wrapped: w.wrapped })));
    return this.state!;
  }

  /** The verified state (local, or fetched once when there is none yet). Throws NOT_FOUND offline without one. */
  async current(): Promise<RosterState> {
    const s = this.state ?? (await this.load());
    if (s) return s;
    if (this.p.conn.state === 'online') return this.sync();
    throw new VaultError('NOT_FOUND', 'TeamRoster.current: no verified roster on this device yet');
  }

  head(): { length: number; hash: string } | null {
    return this.state ? { length: this.state.length, hash: this.state.lastHash } : null;
  }

  /** The team key of `epoch`, opened from our wrap and checked against the roster's commitment. Throws WRONG_KEY. */
  async teamKey(epoch: number): Promise<TeamKey> {
    const cached = this.teamKeys.get(epoch);
    if (cached) return cached;
    const st = await this.current();
    const commit = st.keyCommits.get(epoch);
    if (commit === undefined) throw new VaultError('WRONG_KEY', `TeamRoster.teamKey: the roster commits to no team key of epoch ${epoch}`);
    const find = async () => (await this.p.store.getWrappedKeys(this.key)).find((r) => r.epoch === epoch && r.to.id === this.p.keys.account);
    let row = await find();
    if (!row && this.p.conn.state === 'online') {
      await this.sync();
      row = await find();
    }
    if (!row) throw new VaultError('WRONG_KEY', `TeamRoster.teamKey: no team key of epoch ${epoch} for this account`);
    const key = unwrapTeamKey(row.wrapped, this.p.keys.box, this.team, epoch, commit);
    this.teamKeys.set(epoch, key);
    return key;
  }

  /** Team keys of every epoch this account holds (for wrapping them to a newcomer). */
  async allTeamKeys(): Promise<Map<number, TeamKey>> {
    const st = await this.current();
    const out = new Map<number, TeamKey>();
    for (const epoch of st.keyCommits.keys()) {
      try { out.set(epoch, await this.teamKey(epoch)); } catch (e) { if (!isVaultError(e, 'WRONG_KEY')) throw e; }
    }
    return out;
  }

  /** A member's display name, or '' when this device cannot read it (a key it was never given). */
  async nameOf(account: string): Promise<string> {
    const st = await this.current();
    const m = st.members.get(account);
    if (!m) return '';
    try {
      const name = openTeamText(await this.teamKey(m.nameEpoch), 'name', this.team, account, m.nameEpoch, m.nameEnc);
      this.names.set(account, name);
      return name;
    } catch {
      return '';
    }
  }

  /** The name if already opened (see warmNames), else ''. */
  cachedName(account: string): string {
    return this.names.get(account) ?? '';
  }

  /** Opens every member's name once (after load/sync), so labels need no await. */
  async warmNames(): Promise<void> {
    for (const a of this.state?.members.keys() ?? []) if (!this.names.has(a)) await this.nameOf(a);
  }

  async teamName(): Promise<string> {
    const st = await this.current();
    try {
      return openTeamText(await this.teamKey(0), 'team-name', this.team, this.team, 0, st.teamNameEnc);
    } catch {
      return '';
    }
  }

  /**
   * Appends entries built from the freshly verified head, checked locally with the same verifier
   * every reader uses, then sent; retried once if another admin appended in between.
   */
  async append(fn: string, build: (state: RosterState) => RosterChange | Promise<RosterChange>): Promise<RosterState> {
    if (this.p.conn.state !== 'online') throw new VaultError('RELAY_UNREACHABLE', `${fn}: team changes need a connection to the relay`);
    for (let attempt = 0; ; attempt++) {
      const state = await this.sync();
      const change = await build(state);
      const entries: RosterEntry[] = [];
      let s: RosterState = state;
      let hashes = this.hashes;
      for (const op of change.ops) {
        const e = parseRosterEntry(nextRosterEntry(this.team, s, this.p.keys.account, op as RosterOp, this.p.clock.now(), this.p.keys.sign.secretKey));
        const out = verifyRoster(this.team, [e], s, [], hashes);
        s = out.state;
        hashes = out.hashes;
        entries.push(e);
      }
      try {
        await this.p.conn.request({ type: 'roster.append', entries, wraps: change.wraps });
      } catch (e) {
        if (isVaultError(e, 'LOG_FORKED') && attempt === 0) continue;
        throw isVaultError(e) ? new VaultError(e.code, `${fn}: ${e.message}`, { cause: e }) : e;
      }
      // Appended. Reading it back can fail (this very device revoked, the link dropped): the next sync catches up.
      return this.sync().catch(() => s);
    }
  }

  /** The raw verified entries (for building pins and checkpoints). */
  lastHashes(): string[] {
    return this.hashes;
  }

  clear(): void {
    for (const k of this.teamKeys.values()) wipe(k);
    this.teamKeys.clear();
    this.names.clear();
    this.state = null;
    this.hashes = [];
  }
}

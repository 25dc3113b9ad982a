/** Roster, join requests, team key wraps and checkpoints of one team file (SQLite). */
import type { AccountRegistration, CheckpointBody, DeviceRegistration, RosterEntry, TeamWrap } from '../../../protocol/index.js';
import type { Fail, JoinRequestOutcome, JoinRequestRow, RosterAppendResult, RosterEffects } from '../types.js';
import { q, type Db } from './open-db.js';

export function getRosterTx(db: Db, since: number): RosterEntry[] {
  return (q(db, 'SELECT entry FROM roster WHERE idx >= ? ORDER BY idx').pluck().all(since) as string[]).map((s) => JSON.parse(s) as RosterEntry);
}

function rosterLength(db: Db): number {
  return (q(db, 'SELECT COUNT(*) FROM roster').pluck().get() as number);
}

/** Inside a transaction: entries + wraps + effects, or LOG_CONFLICT / the check's refusal. */
function appendIn(db: Db, expected: number, entries: RosterEntry[], wraps: TeamWrap[], fx: RosterEffects, check?: () => Fail | null): RosterAppendResult {
  const length = rosterLength(db);
  if (length !== expected) return { ok: false, code: 'LOG_CONFLICT', message: `roster has ${length} entries, expected ${expected}`, length };
  const refused = check?.();
  if (refused) return { ...refused, length };
  // A join answers a request that must still be pending now (a reject may have won the race since check() read it).
  for (const a of fx.joined) {
    if (!q(db, 'SELECT 1 FROM join_requests WHERE account = ?').get(a)) return { ok: false, code: 'NOT_ALLOWED', message: 'roster: the join request is gone', length };
  }
  const ins = q(db, 'INSERT INTO roster VALUES (?,?)');
  for (const e of entries) ins.run(e.index, JSON.stringify(e));
  const w = q(db, 'INSERT OR REPLACE INTO team_wraps VALUES (?,?,?)');
  for (const x of wraps) w.run(x.account, x.epoch, x.wrapped);
  for (const r of fx.setRoles) q(db, 'UPDATE accounts SET team_role = ? WHERE id = ?').run(r.role, r.account);
  for (const a of fx.removed) {
    q(db, 'UPDATE accounts SET team_role = NULL, removed = 1 WHERE id = ?').run(a);
    q(db, 'DELETE FROM team_wraps WHERE account = ?').run(a);
  }
  for (const d of fx.revokedDevices) q(db, 'UPDATE devices SET active = 0, revoked_at = ? WHERE id = ? AND active = 1').run(d.index, d.device);
  for (const a of fx.joined) q(db, 'DELETE FROM join_requests WHERE account = ?').run(a);
  return { ok: true, length: length + entries.length };
}

export function appendRosterTx(db: Db, expected: number, entries: RosterEntry[], wraps: TeamWrap[], fx: RosterEffects, check?: () => Fail | null): RosterAppendResult {
  return db.transaction(() => appendIn(db, expected, entries, wraps, fx, check))();
}

export function insertAccount(db: Db, a: AccountRegistration, now: number, role: string | null): void {
  q(db, 'INSERT INTO accounts (id, sign_pk, box_pk, auth_pk, kdf, key_blob, created, team_role, removed) VALUES (?,?,?,?,?,?,?,?,0)')
    .run(a.id, a.signPk, a.boxPk, a.authPk, JSON.stringify(a.kdf), a.keyBlob, now, role);
}
export function insertDevice(db: Db, account: string, d: DeviceRegistration): void {
  q(db, 'INSERT INTO devices (id, account, sign_pk, cert, platform, name_enc, last_seen_day, active, revoked_at) VALUES (?,?,?,?,?,?,NULL,1,NULL)')
    .run(d.id, account, d.signPk, d.cert, d.platform, d.nameEnc);
}
const idsFree = (db: Db, account: string | null, device: string) =>
  !(account !== null && q(db, 'SELECT 1 FROM accounts WHERE id = ?').get(account)) && !q(db, 'SELECT 1 FROM devices WHERE id = ?').get(device);

export function addJoinRequestTx(db: Db, invite: string, a: AccountRegistration, d: DeviceRegistration, nameEnc: string, mac: string, now: number): JoinRequestOutcome {
  return db.transaction((): JoinRequestOutcome => {
    if (q(db, 'SELECT 1 FROM invite_uses WHERE invite = ?').get(invite)) return 'used';
    if (!idsFree(db, a.id, d.id)) return 'exists';
    insertAccount(db, a, now, null);
    insertDevice(db, a.id, d);
    q(db, 'INSERT INTO invite_uses VALUES (?,?)').run(invite, a.id);
    q(db, 'INSERT INTO join_requests VALUES (?,?,?,?,?)').run(a.id, invite, nameEnc, mac, now);
    return 'ok';
  })();
}

export function listJoinRequestsTx(db: Db): JoinRequestRow[] {
  const rows = q(db, `SELECT j.account, j.invite, j.name_enc, j.mac, j.at, a.sign_pk AS a_sign, a.box_pk AS a_box,
      d.id AS d_id, d.sign_pk AS d_sign, d.cert, d.platform, d.name_enc AS d_name
    FROM join_requests j JOIN accounts a ON a.id = j.account JOIN devices d ON d.account = j.account ORDER BY j.at, j.account`).all() as Record<string, string>[];
  return rows.map((r) => ({
    account: { id: r.account!, signPk: r.a_sign!, boxPk: r.a_box! },
    device: { id: r.d_id!, signPk: r.d_sign!, cert: r.cert!, platform: r.platform as JoinRequestRow['device']['platform'], nameEnc: r.d_name! },
    invite: r.invite!, nameEnc: r.name_enc!, mac: r.mac!, at: Number(r.at),
  }));
}

export function rejectJoinRequestTx(db: Db, account: string): boolean {
  return db.transaction(() => {
    if (q(db, 'DELETE FROM join_requests WHERE account = ?').run(account).changes === 0) return false;
    q(db, 'DELETE FROM devices WHERE account = ?').run(account);
    q(db, 'DELETE FROM accounts WHERE id = ?').run(account);
    return true;
  })();
}

export function addDeviceWithEntryTx(db: Db, account: string, d: DeviceRegistration, expected: number, entry: RosterEntry): RosterAppendResult {
  return db.transaction((): RosterAppendResult => {
    if (!idsFree(db, null, d.id)) return { ok: false, code: 'NOT_ALLOWED', message: 'device id exists', length: rosterLength(db) };
    const out = appendIn(db, expected, [entry], [], { setRoles: [], removed: [], revokedDevices: [], joined: [] });
    if (out.ok) insertDevice(db, account, d);
    return out;
  })();
}

export function putCheckpointTx(db: Db, account: string, device: string, body: CheckpointBody, sig: string): void {
  q(db, 'INSERT OR REPLACE INTO checkpoints VALUES (?,?,?,?)').run(device, account, JSON.stringify(body), sig);
}
export function checkpointsTx(db: Db, account: string): { body: CheckpointBody; sig: string }[] {
  return (q(db, 'SELECT body, sig FROM checkpoints WHERE account = ? ORDER BY device').all(account) as { body: string; sig: string }[])
    .map((r) => ({ body: JSON.parse(r.body) as CheckpointBody, sig: r.sig }));
}

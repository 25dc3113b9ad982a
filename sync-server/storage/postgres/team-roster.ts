/**
 * Roster, join requests, team key wraps and checkpoints of one team schema (PostgreSQL), with the
 * semantics of the SQLite store (sqlite/team-roster.ts). Several relay instances may append at
 * once: every roster append first takes the roster table's EXCLUSIVE lock (readers still read),
 * so the length check, the caller's check() and the writes see one order of appends; a join
 * request claims its invitation with a unique row (invite_uses), so an invitation is used once.
 */
import type pg from 'pg';
import type { AccountRegistration, CheckpointBody, DeviceRegistration, RosterEntry, TeamRole, TeamWrap } from '../../../protocol/index.js';
import type { Fail, JoinRequestOutcome, JoinRequestRow, RosterAppendResult, RosterEffects } from '../types.js';
import { withTx, type Sql } from './pool.js';

export const NO_EFFECTS: RosterEffects = { setRoles: [], removed: [], revokedDevices: [], joined: [] };

export async function getRosterQ(db: Sql, s: string, since: number): Promise<RosterEntry[]> {
  const r = await db.query<{ entry: string }>(`SELECT entry FROM ${s}.roster WHERE idx >= $1 ORDER BY idx`, [since]);
  return r.rows.map((x) => JSON.parse(x.entry) as RosterEntry);
}

/** Takes the roster's append lock for this transaction and returns its length (read after the lock: READ COMMITTED sees the previous holder's rows). */
async function lockRoster(c: pg.PoolClient, s: string): Promise<number> {
  await c.query(`LOCK TABLE ${s}.roster IN EXCLUSIVE MODE`);
  return (await c.query<{ n: number }>(`SELECT count(*) AS n FROM ${s}.roster`)).rows[0]!.n;
}

/** Inside a transaction holding the roster lock (length = its length): entries + wraps + effects, or LOG_CONFLICT / the check's refusal. */
async function appendIn(c: pg.PoolClient, s: string, length: number, expected: number, entries: RosterEntry[], wraps: TeamWrap[], fx: RosterEffects, check?: () => Fail | null): Promise<RosterAppendResult> {
  if (length !== expected) return { ok: false, code: 'LOG_CONFLICT', message: `roster has ${length} entries, expected ${expected}`, length };
  const refused = check?.();
  if (refused) return { ...refused, length };
  // A join answers a request that must still be pending now (a reject may have won the race since check() read it).
  if (fx.joined.length) {
    const { rows } = await c.query(`SELECT count(*)::int AS n FROM ${s}.join_requests WHERE account = ANY($1::text[])`, [fx.joined]);
    if (rows[0].n !== new Set(fx.joined).size) return { ok: false, code: 'NOT_ALLOWED', message: 'roster: the join request is gone', length };
  }
  if (entries.length) {
    await c.query(`INSERT INTO ${s}.roster (idx, entry) SELECT * FROM unnest($1::bigint[], $2::text[])`, [entries.map((e) => e.index), entries.map((e) => JSON.stringify(e))]);
  }
  // Like SQLite's INSERT OR REPLACE row by row: the last wrap of an (account, epoch) wins (one ON CONFLICT statement may not touch a row twice).
  const last = new Map(wraps.map((w) => [`${w.account} ${w.epoch}`, w]));
  if (last.size) {
    const ws = [...last.values()];
    await c.query(
      `INSERT INTO ${s}.team_wraps (account, epoch, wrapped) SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[]) ON CONFLICT (account, epoch) DO UPDATE SET wrapped = excluded.wrapped`,
      [ws.map((w) => w.account), ws.map((w) => w.epoch), ws.map((w) => w.wrapped)],
    );
  }
  for (const r of fx.setRoles) await c.query(`UPDATE ${s}.accounts SET team_role = $2 WHERE id = $1`, [r.account, r.role]);
  if (fx.removed.length) {
    await c.query(`UPDATE ${s}.accounts SET team_role = NULL, removed = true WHERE id = ANY($1::text[])`, [fx.removed]);
    await c.query(`DELETE FROM ${s}.team_wraps WHERE account = ANY($1::text[])`, [fx.removed]);
  }
  for (const d of fx.revokedDevices) await c.query(`UPDATE ${s}.devices SET active = false, revoked_at = $2 WHERE id = $1 AND active`, [d.device, d.index]);
  if (fx.joined.length) await c.query(`DELETE FROM ${s}.join_requests WHERE account = ANY($1::text[])`, [fx.joined]);
  return { ok: true, length: length + entries.length };
}

export async function appendRosterTx(c: pg.PoolClient, s: string, expected: number, entries: RosterEntry[], wraps: TeamWrap[], fx: RosterEffects, check?: () => Fail | null): Promise<RosterAppendResult> {
  return appendIn(c, s, await lockRoster(c, s), expected, entries, wraps, fx, check);
}

export async function insertAccount(c: pg.PoolClient, s: string, a: AccountRegistration, now: number, role: TeamRole | null): Promise<boolean> {
  const r = await c.query(
    `INSERT INTO ${s}.accounts (id, sign_pk, box_pk, auth_pk, kdf, key_blob, created, team_role, removed) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,false) ON CONFLICT (id) DO NOTHING`,
    [a.id, a.signPk, a.boxPk, a.authPk, JSON.stringify(a.kdf), a.keyBlob, now, role],
  );
  return r.rowCount === 1;
}
export async function insertDevice(c: pg.PoolClient, s: string, account: string, d: DeviceRegistration): Promise<boolean> {
  const r = await c.query(
    `INSERT INTO ${s}.devices (id, account, sign_pk, cert, platform, name_enc, last_seen_day, active, revoked_at) VALUES ($1,$2,$3,$4,$5,$6,NULL,true,NULL) ON CONFLICT (id) DO NOTHING`,
    [d.id, account, d.signPk, d.cert, d.platform, d.nameEnc],
  );
  return r.rowCount === 1;
}

/** Thrown inside withTx to roll back and answer `value` (a refusal found after a write). */
class Undo<T> {
  constructor(readonly value: T) {}
}
async function undoable<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof Undo) return e.value as T;
    throw e;
  }
}

/** Founder only (createTeam, fresh schema): the account as owner, its first device, the roster and the first team key wrap. */
export async function addFounderTx(c: pg.PoolClient, s: string, a: AccountRegistration, d: DeviceRegistration, roster: RosterEntry[], wraps: TeamWrap[], now: number): Promise<void> {
  if (!(await insertAccount(c, s, a, now, 'owner')) || !(await insertDevice(c, s, a.id, d))) throw new Error('unreachable: fresh schema');
  const out = await appendRosterTx(c, s, 0, roster, wraps, NO_EFFECTS);
  if (!out.ok) throw new Error(`createTeam: ${out.message}`);
}

/**
 * The invitation is claimed first (a unique row; a concurrent claim waits for this transaction
 * and then finds it): 'used' before 'exists', as in SQLite. Taken ids roll the claim back.
 */
export async function addJoinRequestTx(db: pg.Pool, s: string, invite: string, a: AccountRegistration, d: DeviceRegistration, nameEnc: string, mac: string, now: number): Promise<JoinRequestOutcome> {
  return undoable(() => withTx(db, async (c): Promise<JoinRequestOutcome> => {
    const claim = await c.query(`INSERT INTO ${s}.invite_uses (invite, account) VALUES ($1, $2) ON CONFLICT (invite) DO NOTHING`, [invite, a.id]);
    if (claim.rowCount !== 1) return 'used';
    if (!(await insertAccount(c, s, a, now, null)) || !(await insertDevice(c, s, a.id, d))) throw new Undo<JoinRequestOutcome>('exists');
    await c.query(`INSERT INTO ${s}.join_requests (account, invite, name_enc, mac, at) VALUES ($1,$2,$3,$4,$5)`, [a.id, invite, nameEnc, mac, now]);
    return 'ok';
  }));
}

export async function listJoinRequestsQ(db: Sql, s: string): Promise<JoinRequestRow[]> {
  const rows = (await db.query<Record<string, string | number>>(`SELECT j.account, j.invite, j.name_enc, j.mac, j.at, a.sign_pk AS a_sign, a.box_pk AS a_box,
      d.id AS d_id, d.sign_pk AS d_sign, d.cert, d.platform, d.name_enc AS d_name
    FROM ${s}.join_requests j JOIN ${s}.accounts a ON a.id = j.account JOIN ${s}.devices d ON d.account = j.account ORDER BY j.at, j.account COLLATE "C"`)).rows;
  return rows.map((r) => ({
    account: { id: String(r.account), signPk: String(r.a_sign), boxPk: String(r.a_box) },
    device: { id: String(r.d_id), signPk: String(r.d_sign), cert: String(r.cert), platform: r.platform as JoinRequestRow['device']['platform'], nameEnc: String(r.d_name) },
    invite: String(r.invite), nameEnc: String(r.name_enc), mac: String(r.mac), at: Number(r.at),
  }));
}

export async function rejectJoinRequestTx(c: pg.PoolClient, s: string, account: string): Promise<boolean> {
  if ((await c.query(`DELETE FROM ${s}.join_requests WHERE account = $1`, [account])).rowCount === 0) return false;
  await c.query(`DELETE FROM ${s}.devices WHERE account = $1`, [account]);
  await c.query(`DELETE FROM ${s}.accounts WHERE id = $1`, [account]);
  return true;
}

/**
 * Under the roster lock: a taken device id is NOT_ALLOWED (checked before the length, as in
 * SQLite), else the entry and the device row. A join request does not take the roster lock, so
 * it may claim the same device id meanwhile: then the entry is rolled back with the same answer.
 */
export async function addDeviceWithEntryTx(db: pg.Pool, s: string, account: string, d: DeviceRegistration, expected: number, entry: RosterEntry): Promise<RosterAppendResult> {
  return undoable(() => withTx(db, async (c): Promise<RosterAppendResult> => {
    const length = await lockRoster(c, s);
    const taken = { ok: false as const, code: 'NOT_ALLOWED' as const, message: 'device id exists', length };
    if ((await c.query(`SELECT 1 FROM ${s}.devices WHERE id = $1`, [d.id])).rowCount) return taken;
    const out = await appendIn(c, s, length, expected, [entry], [], NO_EFFECTS);
    if (out.ok && !(await insertDevice(c, s, account, d))) throw new Undo<RosterAppendResult>(taken);
    return out;
  }));
}

export async function putCheckpointQ(db: Sql, s: string, account: string, device: string, body: CheckpointBody, sig: string): Promise<void> {
  await db.query(
    `INSERT INTO ${s}.checkpoints (device, account, body, sig) VALUES ($1,$2,$3,$4) ON CONFLICT (device) DO UPDATE SET account = excluded.account, body = excluded.body, sig = excluded.sig`,
    [device, account, JSON.stringify(body), sig],
  );
}
export async function checkpointsQ(db: Sql, s: string, account: string): Promise<{ body: CheckpointBody; sig: string }[]> {
  const r = await db.query<{ body: string; sig: string }>(`SELECT body, sig FROM ${s}.checkpoints WHERE account = $1 ORDER BY device COLLATE "C"`, [account]);
  return r.rows.map((x) => ({ body: JSON.parse(x.body) as CheckpointBody, sig: x.sig }));
}

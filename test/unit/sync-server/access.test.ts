/**
 * The relay's access checks (sync-server/access.ts) as decisions over stored rows: a Session with
 * a recording socket and a small in-memory table of accounts, devices, share roles and codes
 * (only the four lookups these checks make). The relay's real storage is exercised by the
 * integration tests; here each refusal code and its boundary.
 */
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import type { Role, SessionAs, TeamRole } from '../../../protocol/index.js';
import { authorOf, canRead, canWrite, deviceOf, memberOf, Refusal, teamAdmin } from '../../../sync-server/access.js';
import type { RelayContext } from '../../../sync-server/context.js';
import type { RelayMetrics } from '../../../sync-server/metrics.js';
import { Session } from '../../../sync-server/session.js';
import type { AccountRow, CodeRow, DeviceRow, TeamStore } from '../../../sync-server/storage/types.js';

const NOW = 1_000_000;
const ctx = { clock: { now: () => NOW } } as RelayContext;

interface Rows {
  accounts?: Record<string, Partial<AccountRow>>;
  devices?: Record<string, Partial<DeviceRow>>;
  roles?: Record<string, Role>;
  codes?: Record<string, Partial<CodeRow>>;
}

function session(as: SessionAs | null, rows: Rows = {}) {
  const sent: unknown[] = [];
  const closed: Array<[number, string]> = [];
  const ws = { OPEN: 1, readyState: 1, send: (m: string) => sent.push(JSON.parse(m)), close: (code: number, reason: string) => closed.push([code, reason]) } as unknown as WebSocket;
  const metrics = { error: () => {}, closed: () => {} } as unknown as RelayMetrics;
  const s = new Session(ws, 'test', metrics);
  s.as = as;
  const store = {
    getAccount: async (id: string) => (rows.accounts?.[id] ? ({ id, teamRole: 'member', removed: false, ...rows.accounts[id] } as AccountRow) : null),
    getDevice: async (id: string) => (rows.devices?.[id] ? ({ id, active: true, ...rows.devices[id] } as DeviceRow) : null),
    role: async (share: string, account: string) => rows.roles?.[`${share}/${account}`] ?? null,
    getCode: async (code: string) => (rows.codes?.[code] ? ({ code, readOnly: false, expiresAt: null, ...rows.codes[code] } as CodeRow) : null),
  };
  s.store = store as unknown as TeamStore;
  return { s, sent, closed };
}

const device = (account = 'acc', dev = 'dev', team: TeamRole | null = 'member'): SessionAs => ({ kind: 'device', account, device: dev, role: null, team }) as SessionAs;
const code = (c = 'code1', share = 'share1', readOnly = false): SessionAs => ({ kind: 'code', code: c, share, readOnly }) as SessionAs;
const account = (a = 'acc'): SessionAs => ({ kind: 'account', account: a }) as SessionAs;

async function refused(p: Promise<unknown> | (() => unknown)): Promise<Refusal> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    if (e instanceof Refusal) return e;
    throw e;
  }
  throw new Error('expected a Refusal');
}

describe('relay access: session kinds', () => {
  it('deviceOf: a device session only', async () => {
    expect(deviceOf(session(device('a', 'd')).s)).toEqual({ account: 'a', device: 'd' });
    for (const as of [code(), account(), null]) {
      const r = await refused(() => deviceOf(session(as).s));
      expect([r.code, r.message]).toEqual(['NOT_ALLOWED', 'needs a device session']);
    }
  });
  it('authorOf: an account for a device, the code for a code session, nothing else', async () => {
    expect(authorOf(session(device('a')).s)).toEqual({ kind: 'account', id: 'a' });
    expect(authorOf(session(code('c9')).s)).toEqual({ kind: 'code', id: 'c9' });
    for (const as of [account(), null]) {
      const r = await refused(() => authorOf(session(as).s));
      expect([r.code, r.message]).toEqual(['NOT_ALLOWED', 'needs a device or code session']);
    }
  });
});

describe('relay access: canRead / canWrite', () => {
  it('a device reads the shares it has a role in; below editor it is read-only', async () => {
    const roles: Record<string, Role> = { 'sh/v': 'viewer', 'sh/e': 'editor', 'sh/a': 'admin', 'sh/o': 'owner' };
    const got = [];
    for (const acc of ['v', 'e', 'a', 'o']) got.push(await canRead(ctx, session(device(acc), { roles }).s, 'sh'));
    expect(got).toEqual([{ role: 'viewer', readOnly: true }, { role: 'editor', readOnly: false }, { role: 'admin', readOnly: false }, { role: 'owner', readOnly: false }]);
  });
  it('a share without a role is NOT_FOUND (no existence oracle)', async () => {
    const r = await refused(canRead(ctx, session(device('x'), { roles: { 'sh/v': 'viewer' } }).s, 'sh'));
    expect([r.code, r.message]).toEqual(['NOT_FOUND', 'no such share']);
  });
  it('a code reads only its own share', async () => {
    const { s } = session(code('c', 'share1', true), { codes: { c: { readOnly: true } } });
    expect(await canRead(ctx, s, 'share1')).toEqual({ role: null, readOnly: true });
    const other = await refused(canRead(ctx, s, 'share2'));
    expect([other.code, other.message]).toEqual(['NOT_FOUND', 'no such share']);
  });
  it('a revoked code: NOT_ALLOWED and the socket closed 4003', async () => {
    const { s, closed, sent } = session(code('gone'), { codes: {} });
    const r = await refused(canRead(ctx, s, 'share1'));
    expect([r.code, r.message]).toEqual(['NOT_ALLOWED', 'code no longer valid']);
    expect(closed).toEqual([[4003, 'code revoked']]);
    expect(sent).toEqual([{ type: 'closing', code: 4003, reason: 'code revoked' }]);
  });
  it('an expired code (expiry at or before now): CODE_EXPIRED and closed 4004; one expiring later or never reads', async () => {
    for (const expiresAt of [NOW, NOW - 1]) {
      const { s, closed } = session(code(), { codes: { code1: { expiresAt } } });
      const r = await refused(canRead(ctx, s, 'share1'));
      expect([r.code, r.message]).toEqual(['CODE_EXPIRED', 'access code expired']);
      expect(closed).toEqual([[4004, 'code expired']]);
    }
    for (const expiresAt of [NOW + 1, null]) {
      const { s, closed } = session(code(), { codes: { code1: { expiresAt } } });
      expect(await canRead(ctx, s, 'share1')).toEqual({ role: null, readOnly: false });
      expect(closed).toEqual([]);
    }
  });
  it('an account session or none reads nothing', async () => {
    for (const as of [account(), null]) {
      const r = await refused(canRead(ctx, session(as).s, 'share1'));
      expect([r.code, r.message]).toEqual(['NOT_FOUND', 'no such share']);
    }
  });
  it('canWrite: editors and read-write codes; a viewer is NOT_ALLOWED, a read-only code READ_ONLY', async () => {
    await canWrite(ctx, session(device('e'), { roles: { 'sh/e': 'editor' } }).s, 'sh');
    await canWrite(ctx, session(code(), { codes: { code1: {} } }).s, 'share1');
    const viewer = await refused(canWrite(ctx, session(device('v'), { roles: { 'sh/v': 'viewer' } }).s, 'sh'));
    expect([viewer.code, viewer.message]).toEqual(['NOT_ALLOWED', 'no write access to this share']);
    const ro = await refused(canWrite(ctx, session(code(), { codes: { code1: { readOnly: true } } }).s, 'share1'));
    expect([ro.code, ro.message]).toEqual(['READ_ONLY', 'no write access to this share']);
  });
});

describe('relay access: team roles', () => {
  const rows = (acc: Partial<AccountRow> | null, dev: Partial<DeviceRow> | null): Rows => ({
    accounts: acc ? { acc: acc } : {}, devices: dev ? { dev: { account: 'acc', ...dev } } : {},
  });
  it('memberOf: an active member on an active device, with its team role from storage (not from the session)', async () => {
    expect(await memberOf(session(device('acc', 'dev', 'member'), rows({ teamRole: 'admin' }, {})).s)).toEqual({ account: 'acc', device: 'dev', role: 'admin' });
  });
  it('memberOf refuses: no account or removed → MEMBER_REMOVED; join pending → JOIN_PENDING; device gone or revoked → NOT_ALLOWED', async () => {
    const cases: Array<[Rows, string, string]> = [
      [rows(null, {}), 'MEMBER_REMOVED', 'not a member of this team'],
      [rows({ removed: true, teamRole: 'admin' }, {}), 'MEMBER_REMOVED', 'not a member of this team'],
      [rows({ teamRole: null }, {}), 'JOIN_PENDING', 'the join awaits confirmation by a team admin'],
      [rows({}, null), 'NOT_ALLOWED', 'this device was revoked'],
      [rows({}, { active: false }), 'NOT_ALLOWED', 'this device was revoked'],
    ];
    for (const [r, code, msg] of cases) {
      const e = await refused(memberOf(session(device(), r).s));
      expect([e.code, e.message]).toEqual([code, msg]);
    }
    expect((await refused(memberOf(session(code(), rows({}, {})).s))).message).toBe('needs a device session');
  });
  it('teamAdmin: owner and admin pass, a member is NOT_ALLOWED', async () => {
    for (const teamRole of ['owner', 'admin'] as const) expect((await teamAdmin(session(device(), rows({ teamRole }, {})).s)).role).toBe(teamRole);
    const e = await refused(teamAdmin(session(device(), rows({ teamRole: 'member' }, {})).s));
    expect([e.code, e.message]).toEqual(['NOT_ALLOWED', 'only a team owner or admin may do this']);
    expect((await refused(teamAdmin(session(device(), rows({ teamRole: null }, {})).s))).code).toBe('JOIN_PENDING');
  });
});

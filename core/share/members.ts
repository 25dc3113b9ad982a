/**
 * Members of a share (R2): add an active member of the team (public keys from the verified team
 * roster, never a relay answer; pinned again in the signed `add` entry), change a role, block (new epoch without
 * the blocked member; the relay closes its sessions and refuses it from then on). Live access
 * codes the blocked member knew — it created them or holds their wrap key (an admin) — are
 * rotated right after the block: a departing admin could otherwise still join as a guest.
 */
import { fromB64url } from '../encoding.js';
import { VaultError } from '../errors.js';
import { parseAccountId, parseShareId, type AccountId } from '../ids.js';
import type { BoxPublicKey, SignPublicKey } from '../crypto/key-types.js';
import { safetyNumber } from '../model/fingerprint.js';
import type { Member, NewAccessCode, Role } from '../vault-api.js';
import { codeBlobHolders } from './code-blob.js';
import { rotateAccessCode } from './codes.js';
import type { ShareAdminPorts as Session } from '../vault/ports.js'; // a narrow port (ports.ts), not the Session class
import { newEpoch } from './epoch.js';
import { memberWraps } from './history-keys.js';
import { appendEntry } from './log-append.js';
import { rosterKeysOf } from './roster-keys.js';

const ROLES: readonly Role[] = ['admin', 'editor', 'viewer'];

function checkRole(fn: string, role: Role): void {
  if (!ROLES.includes(role)) throw new VaultError('BAD_FORMAT', `${fn}: role must be admin, editor or viewer`);
}

/** The roster's keys of a team member, from a freshly verified roster. */
async function accountKeys(s: Session, account: AccountId): Promise<{ boxPk: string; signPk: string }> {
  return rosterKeysOf(await s.roster.sync(), 'addMember', account);
}

export async function addMember(s: Session, shareIn: string, accountIn: string, role: Role): Promise<void> {
  const share = parseShareId(shareIn);
  const account = parseAccountId(accountIn);
  checkRole('addMember', role);
  const pk = await accountKeys(s, account);
  await appendEntry(s, share, 'addMember', async (state) => {
    const cur = state.members.get(account);
    if (cur && !cur.blocked) throw new VaultError('NOT_ALLOWED', `addMember: ${account} is already a member`);
    return { op: { t: 'add', account, boxPk: pk.boxPk, signPk: pk.signPk, role }, wraps: await memberWraps(s, state, account, pk.boxPk) };
  });
}

export async function setRole(s: Session, shareIn: string, accountIn: string, role: Role): Promise<void> {
  const share = parseShareId(shareIn);
  const account = parseAccountId(accountIn);
  checkRole('setRole', role);
  await appendEntry(s, share, 'setRole', () => ({ op: { t: 'role', account, role }, wraps: [] }));
}

export async function blockMember(s: Session, shareIn: string, accountIn: string): Promise<{ rotatedCodes: NewAccessCode[] }> {
  const share = parseShareId(shareIn);
  const account = parseAccountId(accountIn);
  const state = await appendEntry(s, share, 'blockMember', (st) => {
    const m = st.members.get(account);
    if (!m || m.blocked) throw new VaultError('NOT_FOUND', `blockMember: ${account} is not an active member`);
    if (account === st.owner) throw new VaultError('NOT_ALLOWED', 'blockMember: the owner cannot be blocked');
    const ep = newEpoch(s, st, { dropAccount: account });
    return { op: { t: 'block', account, epoch: ep.epoch, keyCommit: ep.keyCommit }, wraps: ep.wraps, newKey: { epoch: ep.epoch, key: ep.key } };
  });
  const known = [...state.codes.values()].filter((c) => c.live && c.labelEnc && codeBlobHolders(c.labelEnc).includes(account));
  const rotatedCodes: NewAccessCode[] = [];
  for (const c of known) rotatedCodes.push(await rotateAccessCode(s, share, c.code));
  return { rotatedCodes };
}

/** Members with Signal-style safety numbers over the keys pinned in the verified log. */
export async function members(s: Session, shareIn: string): Promise<Member[]> {
  const st = await s.shareState(parseShareId(shareIn));
  const out: Member[] = [];
  for (const m of st.members.values()) out.push({
    account: m.account, label: (await s.roster.nameOf(m.account)) || m.account.slice(0, 6), role: m.role, blocked: m.blocked,
    fingerprint: safetyNumber(parseAccountId(m.account), fromB64url(m.boxPk) as BoxPublicKey, fromB64url(m.signPk) as SignPublicKey),
  });
  return out;
}

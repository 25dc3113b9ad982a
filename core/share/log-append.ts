/**
 * Writing the membership log: build the next signed entry on the freshly verified head, check
 * it with the same verifier every reader uses (so a disallowed change fails here, before the
 * relay sees it), send `log.append` with its wraps, and re-read the log from the relay.
 *
 * Membership changes go straight to the relay instead of the outbox: a rotation or block that
 * sat in an outbox while offline would tell the owner "done" when nothing happened (R1, R2).
 * Offline → RELAY_UNREACHABLE.
 */
import { VaultError, isVaultError } from '../errors.js';
import type { ShareId } from '../ids.js';
import type { ShareKey } from '../crypto/key-types.js';
import { wipe } from '../crypto/wipe.js';
import { nextEntry, type LogOp, type ShareState } from '../vault/membership.js';
import type { ShareStatePort, VaultParts } from '../vault/ports.js';

/** Who may change a share: this device's account, or a guest (never). */
export type AdminCheck = Pick<VaultParts, 'guest' | 'keys'>;

/** What writing the membership log takes. */
export type LogWriter = AdminCheck & Pick<ShareStatePort, 'syncLog' | 'verifier'> & Pick<VaultParts, 'conn' | 'store' | 'engine' | 'clock' | 'keyring'>;

export interface Wrap {
  epoch: number;
  to: { kind: 'account' | 'code'; id: string };
  wrapped: string;
}

export interface Change {
  op: LogOp;
  wraps: Wrap[];
  /** A share key this change introduces (new epoch): registered in the keyring on success. */
  newKey?: { epoch: number; key: ShareKey };
}

/** Throws NOT_ALLOWED unless this device's account may change the share's membership. */
export function requireAdmin(s: AdminCheck, state: ShareState, fn: string): void {
  if (s.guest) throw new VaultError('NOT_ALLOWED', `${fn}: a guest cannot change a share`);
  const me = state.members.get(s.keys.account);
  if (!me || me.blocked || (me.role !== 'owner' && me.role !== 'admin')) {
    throw new VaultError('NOT_ALLOWED', `${fn}: only an owner or admin of share ${state.share} may do this`);
  }
}

/**
 * Append one entry built by `build(state)` from the verified head. Retries once if another
 * admin appended in between (LOG_FORKED from the relay's LOG_CONFLICT). Returns the new state.
 */
export async function appendEntry(s: LogWriter, share: ShareId, fn: string, build: (state: ShareState) => Change | Promise<Change>): Promise<ShareState> {
  if (s.conn.state !== 'online') throw new VaultError('RELAY_UNREACHABLE', `${fn}: membership changes need a connection to the relay`);
  // A share created a moment ago may still sit in the outbox (share.create): send it first.
  if ((await s.store.listOutbox()).some((e) => e.share === share && e.op === 'request')) {
    s.engine.kick();
    await s.engine.idle();
  }
  for (let attempt = 0; ; attempt++) {
    const state = await s.syncLog(share);
    requireAdmin(s, state, fn);
    const change = await build(state);
    try {
      const entry = nextEntry(share, state, s.keys.account, change.op, s.clock.now(), s.keys.sign.secretKey);
      s.verifier.replay(share, [entry], state); // the same rules every reader applies
      await s.conn.request({ type: 'log.append', share, entries: [entry], wraps: change.wraps });
      if (change.newKey) s.keyring.put(share, change.newKey.epoch, change.newKey.key);
    } catch (e) {
      if (isVaultError(e, 'LOG_FORKED') && attempt === 0) continue;
      throw isVaultError(e) ? new VaultError(e.code, `${fn}: ${e.message}`, { cause: e }) : e;
    } finally {
      if (change.newKey) wipe(change.newKey.key);
    }
    return s.syncLog(share);
  }
}

/**
 * Lazy rotation keeps older items under older epochs, so whoever newly gets access (a member
 * added, a code created or rotated in) needs every earlier epoch key this admin still holds,
 * not just the newest. Epochs whose keys were dropped by an eager re-encryption are skipped
 * (nothing on the relay is under them any more).
 */
import { fromB64url, toB64url } from '../encoding.js';
import { VaultError, isVaultError } from '../errors.js';
import type { CodeId, ShareId } from '../ids.js';
import type { BoxPublicKey, CodeWrapKey, ShareKey } from '../crypto/key-types.js';
import { wrapShareKeyForCode, wrapShareKeyForMember } from '../model/share-keys.js';
import type { ShareState } from '../vault/membership.js';
import type { VaultParts } from '../vault/ports.js';
import type { Wrap } from './log-append.js';

/** What re-wrapping older epoch keys takes. */
export type HistoryKeyParts = Pick<VaultParts, 'team' | 'keyring' | 'roster'>;

async function eachEpochKey(s: Pick<VaultParts, 'keyring'>, state: ShareState, upTo: number, fn: (epoch: number, key: ShareKey) => void): Promise<void> {
  for (let e = 0; e <= upTo; e++) {
    let key: ShareKey;
    try {
      key = await s.keyring.keysFor(state.share as ShareId, e);
    } catch (err) {
      if (isVaultError(err, 'WRONG_KEY') && e < state.epoch) continue; // dropped or never ours
      throw err;
    }
    fn(e, key);
  }
}

/** Wraps of epochs 0..upTo for a member's box key. */
export async function memberWraps(s: Pick<VaultParts, 'keyring' | 'roster'>, state: ShareState, account: string, boxPk: string, upTo = state.epoch): Promise<Wrap[]> {
  const out: Wrap[] = [];
  const m = s.roster.state?.members.get(account);
  if (!m || !m.active || m.boxPk !== boxPk) throw new VaultError(m && m.boxPk !== boxPk ? 'KEY_CHANGED' : 'NOT_FOUND', `memberWraps: ${account} has no such key in the verified team roster`);
  await eachEpochKey(s, state, upTo, (epoch, key) => out.push({ epoch, to: { kind: 'account', id: account }, wrapped: toB64url(wrapShareKeyForMember(key, fromB64url(boxPk) as BoxPublicKey)) }));
  return out;
}

/** Wraps of epochs 0..upTo for a code's wrap key. */
export async function codeWraps(s: Pick<VaultParts, 'team' | 'keyring'>, state: ShareState, code: CodeId, wrapKey: CodeWrapKey, upTo = state.epoch): Promise<Wrap[]> {
  const out: Wrap[] = [];
  const share = state.share as ShareId;
  await eachEpochKey(s, state, upTo, (epoch, key) => out.push({ epoch, to: { kind: 'code', id: code }, wrapped: toB64url(wrapShareKeyForCode(key, wrapKey, s.team, share, epoch, code)) }));
  return out;
}

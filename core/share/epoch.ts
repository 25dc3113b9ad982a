/**
 * A new epoch of a share (rotation, block, code rotate/revoke): a fresh random share key, its
 * public commitment for the log entry, and wraps for exactly the members and codes that keep
 * access — never for a blocked member, the blocked target, or the code being ended.
 */
import { fromB64url, toB64url } from '../encoding.js';
import type { CodeId, ShareId } from '../ids.js';
import type { BoxPublicKey, CodeWrapKey, ShareKey } from '../crypto/key-types.js';
import { wipe } from '../crypto/wipe.js';
import { keyCommit, newShareKey, wrapShareKeyForCode, wrapShareKeyForMember } from '../model/share-keys.js';
import type { ShareState } from '../vault/membership.js';
import { rosterStanding } from './roster-keys.js';
import type { VaultParts } from '../vault/ports.js';
import { openCodeWrapKey } from './code-blob.js';
import type { Wrap } from './log-append.js';

/** What making a new epoch takes: the roster (who was removed) and this account's keys (code wrap keys). */
export type EpochMaker = Pick<VaultParts, 'team' | 'keys' | 'roster'>;

export interface NewEpoch {
  epoch: number;
  key: ShareKey;
  keyCommit: string;
  wraps: Wrap[];
  /** Live codes this admin could not re-wrap for (their wrap key was not sealed for it). */
  codesLeftOut: string[];
}

export function newEpoch(s: EpochMaker, state: ShareState, opts: { dropAccount?: string; dropCode?: string; addCode?: { id: CodeId; wrapKey: CodeWrapKey } } = {}): NewEpoch {
  const share = state.share as ShareId;
  const epoch = state.epoch + 1;
  const key = newShareKey();
  const wraps: Wrap[] = [];
  for (const m of state.members.values()) {
    if (m.blocked || m.account === opts.dropAccount) continue;
    if (rosterStanding(s.roster.state, 'newEpoch', m.account, m) === 'removed') continue;
    wraps.push({ epoch, to: { kind: 'account', id: m.account }, wrapped: toB64url(wrapShareKeyForMember(key, fromB64url(m.boxPk) as BoxPublicKey)) });
  }
  const codesLeftOut: string[] = [];
  for (const c of state.codes.values()) {
    if (!c.live || c.code === opts.dropCode) continue;
    const wk = c.labelEnc ? openCodeWrapKey(c.labelEnc, s.keys.account, s.keys.box) : undefined;
    if (!wk) {
      codesLeftOut.push(c.code);
      continue;
    }
    wraps.push({ epoch, to: { kind: 'code', id: c.code }, wrapped: toB64url(wrapShareKeyForCode(key, wk, s.team, share, epoch, c.code as CodeId)) });
    wipe(wk);
  }
  if (opts.addCode) {
    wraps.push({ epoch, to: { kind: 'code', id: opts.addCode.id }, wrapped: toB64url(wrapShareKeyForCode(key, opts.addCode.wrapKey, s.team, share, epoch, opts.addCode.id)) });
  }
  return { epoch, key, keyCommit: toB64url(keyCommit(key, s.team, share, epoch)), wraps, codesLeftOut };
}

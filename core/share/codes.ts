/**
 * Access codes of a share (DESIGN.md §4, R1): create, rotate (new code + new epoch; the relay
 * drops the old verifier and closes its sessions in the same transaction), revoke (new epoch),
 * list. The code secret exists only in the returned NewAccessCode; the relay gets the verifier
 * public key, the log gets the label (encrypted) and the wrap key sealed for admins.
 */
import { fromB64url } from '../encoding.js';
import { VaultError } from '../errors.js';
import { parseCodeId, parseShareId, type CodeId, type ShareId } from '../ids.js';
import type { BoxPublicKey } from '../crypto/key-types.js';
import { wipe } from '../crypto/wipe.js';
import { deriveCodeKeysWith, formatAccessCode, formatJoinLink, newAccessCode, verifierPublicKeyB64, CODE_KDF_COST, type AccessCode } from '../model/access-code.js';
import type { KdfFloor } from '../crypto/kdf.js';
import { kdfOf } from '../crypto/kdf-runner.js';
import type { AccessCodeInfo, NewAccessCode } from '../vault-api.js';
import type { CodeState, ShareState } from '../vault/membership.js';
import type { ShareAdminPorts } from '../vault/ports.js';
import { MAX_HOLDERS, openCodeLabel, sealCodeBlob, codeBlobEpoch, type Holder } from './code-blob.js';
import { newEpoch } from './epoch.js';
import { codeWraps } from './history-keys.js';
import { appendEntry } from './log-append.js';

export interface CodeOptions {
  label: string;
  readOnly: boolean;
  expiresAt: number | null;
}

/** Argon2id cost of code seeds; must be the same for creator and guest (tests pass a tiny one). */
export function codeCost(s: { deps: { codeKdfCost?: KdfFloor } }): KdfFloor {
  return s.deps.codeKdfCost ?? CODE_KDF_COST;
}

function checkOptions(fn: string, o: CodeOptions, now: number): void {
  if (!o || typeof o.label !== 'string' || typeof o.readOnly !== 'boolean') throw new VaultError('BAD_FORMAT', `${fn}: label and readOnly are required`);
  if (o.expiresAt !== null && (!Number.isSafeInteger(o.expiresAt) || o.expiresAt <= now)) throw new VaultError('BAD_FORMAT', `${fn}: expiresAt must be a future time in ms, or null`);
}

/** Admins who get the code's wrap key: owner, me, then other admins (at most MAX_HOLDERS). */
function holders(s: ShareAdminPorts, state: ShareState): Holder[] {
  const order = [state.owner, s.keys.account, ...[...state.members.values()].filter((m) => m.role === 'admin' && !m.blocked).map((m) => m.account)];
  const out: Holder[] = [];
  for (const a of new Set(order)) {
    const m = state.members.get(a);
    if (m && !m.blocked && out.length < MAX_HOLDERS) out.push({ account: a, boxPk: fromB64url(m.boxPk) as BoxPublicKey });
  }
  return out;
}

/** A fresh code whose id (derived from a 24-bit tag) no code of the share has had yet. */
async function freshCode(s: ShareAdminPorts, share: ShareId): Promise<AccessCode> {
  const known = (await s.shareState(share)).codes;
  let code = newAccessCode(s.team);
  while (known.has(code.id)) code = newAccessCode(s.team);
  return code;
}

function result(s: ShareAdminPorts, share: ShareId, code: AccessCode, o: CodeOptions): NewAccessCode {
  return {
    info: { id: code.id, label: o.label, readOnly: o.readOnly, expiresAt: o.expiresAt, live: true },
    code: formatAccessCode(code),
    link: formatJoinLink({ relay: s.relayUrl, team: s.team, code }),
  };
}

/** `make`: where the new code comes from (tests pass a v1 maker to show old codes keep working). */
export async function createAccessCode(s: ShareAdminPorts, shareIn: string, o: CodeOptions, make: typeof freshCode = freshCode): Promise<NewAccessCode> {
  const share = parseShareId(shareIn);
  checkOptions('createAccessCode', o, s.clock.now());
  const code = await make(s, share);
  const ck = await deriveCodeKeysWith(kdfOf(s.deps), s.team, code, codeCost(s));
  try {
    await appendEntry(s, share, 'createAccessCode', async (state) => {
      const key = await s.keyring.keysFor(share, state.epoch);
      const labelEnc = sealCodeBlob({ team: s.team, share, code: code.id, epoch: state.epoch, shareKey: key, label: o.label, wrapKey: ck.wrapKey, holders: holders(s, state) });
      return {
        op: { t: 'code.create', code: code.id, verifierPk: verifierPublicKeyB64(ck), readOnly: o.readOnly, expiresAt: o.expiresAt, labelEnc },
        wraps: await codeWraps(s, state, code.id, ck.wrapKey),
      };
    });
  } finally {
    wipe(ck.wrapKey, ck.verifier.secretKey);
  }
  return result(s, share, code, o);
}

/**
 * Replace `codeIn` by a new code with the same label and flags (unless overridden), in a new
 * epoch. The old code's live sessions are closed by the relay in the same transaction.
 */
export async function rotateAccessCode(s: ShareAdminPorts, shareIn: string, codeIn: string, override?: Partial<CodeOptions>): Promise<NewAccessCode> {
  const share = parseShareId(shareIn);
  const old = parseCodeId(codeIn);
  const code = await freshCode(s, share);
  const ck = await deriveCodeKeysWith(kdfOf(s.deps), s.team, code, codeCost(s));
  let opts: CodeOptions | undefined;
  try {
    await appendEntry(s, share, 'rotateAccessCode', async (state) => {
      const prev = liveCode(state, old, 'rotateAccessCode');
      opts = { label: await codeLabel(s, share, prev), readOnly: prev.readOnly, expiresAt: prev.expiresAt, ...override };
      checkOptions('rotateAccessCode', opts, s.clock.now());
      const ep = newEpoch(s, state, { dropCode: old, addCode: { id: code.id, wrapKey: ck.wrapKey } });
      const labelEnc = sealCodeBlob({ team: s.team, share, code: code.id, epoch: ep.epoch, shareKey: ep.key, label: opts.label, wrapKey: ck.wrapKey, holders: holders(s, state) });
      return {
        op: { t: 'code.rotate', old, code: code.id, verifierPk: verifierPublicKeyB64(ck), readOnly: opts.readOnly, expiresAt: opts.expiresAt, labelEnc, epoch: ep.epoch, keyCommit: ep.keyCommit },
        wraps: [...(await codeWraps(s, state, code.id, ck.wrapKey)), ...ep.wraps], newKey: { epoch: ep.epoch, key: ep.key },
      };
    });
  } finally {
    wipe(ck.wrapKey, ck.verifier.secretKey);
  }
  return result(s, share, code, opts!);
}

export async function revokeAccessCode(s: ShareAdminPorts, shareIn: string, codeIn: string): Promise<void> {
  const share = parseShareId(shareIn);
  const code = parseCodeId(codeIn);
  await appendEntry(s, share, 'revokeAccessCode', (state) => {
    liveCode(state, code, 'revokeAccessCode');
    const ep = newEpoch(s, state, { dropCode: code });
    return { op: { t: 'code.revoke', code, epoch: ep.epoch, keyCommit: ep.keyCommit }, wraps: ep.wraps, newKey: { epoch: ep.epoch, key: ep.key } };
  });
}

function liveCode(state: ShareState, code: CodeId, fn: string): CodeState {
  const c = state.codes.get(code);
  if (!c || !c.live) throw new VaultError('NOT_FOUND', `${fn}: no live code ${code} in share ${state.share}`);
  return c;
}

async function codeLabel(s: ShareAdminPorts, share: ShareId, c: CodeState): Promise<string> {
  if (!c.labelEnc) return '';
  try {
    return openCodeLabel(s.team, share, c.code as CodeId, c.labelEnc, await s.keyring.keysFor(share, codeBlobEpoch(c.labelEnc)));
  } catch {
    return ''; // data, not words: the UI shows the code's short id instead
  }
}

export async function accessCodes(s: ShareAdminPorts, shareIn: string): Promise<AccessCodeInfo[]> {
  const share = parseShareId(shareIn);
  const state = await s.shareState(share);
  const now = s.clock.now();
  const out: AccessCodeInfo[] = [];
  for (const c of state.codes.values()) {
    out.push({ id: c.code, label: await codeLabel(s, share, c), readOnly: c.readOnly, expiresAt: c.expiresAt, live: c.live && (c.expiresAt === null || c.expiresAt > now) });
  }
  return out;
}

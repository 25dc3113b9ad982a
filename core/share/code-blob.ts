/**
 * `labelEnc` of `code.create` / `code.rotate` entries. It carries two things the relay must
 * never read:
 *   - the human label, AEAD under the share key of the entry's epoch (members read it);
 *   - the code's wrap key, sealed (crypto_box_seal) for each admin who may later have to wrap a
 *     NEW epoch's key for this still-live code (owner, author, other admins; at most 6).
 * Without the second part, any rotation for another reason (block, another code) would cut
 * every guest off. The sealed wrap key gives an admin nothing it did not have: admins see the
 * code itself when it is created.
 *
 * Bytes: 0x01 ‖ u32be epoch ‖ n ‖ n × (account id 16 ‖ seal 80) ‖ AEAD(shareKey, label, AD)
 * AD = 'truhe/code-label/v1' ‖ cjson{team, share, code, epoch}.
 */
import { canonicalBytes } from '../canonical.js';
import { concatBytes, fromB64url, fromUtf8, toB64url, u32be, utf8 } from '../encoding.js';
import { VaultError } from '../errors.js';
import { idBytes, type CodeId, type ShareId, type TeamId } from '../ids.js';
import { aeadOpen, aeadSeal } from '../crypto/aead.js';
import { boxOpen, boxSeal } from '../crypto/box.js';
import type { BoxKeyPair, BoxPublicKey, CodeWrapKey, ShareKey } from '../crypto/key-types.js';

const SEAL = 80;
export const MAX_LABEL_BYTES = 120;
export const MAX_HOLDERS = 6;

function ad(team: TeamId, share: ShareId, code: CodeId, epoch: number): Uint8Array {
  return concatBytes(utf8('truhe/code-label/v1'), canonicalBytes({ team, share, code, epoch }));
}

export interface Holder {
  account: string;
  boxPk: BoxPublicKey;
}

/** Build labelEnc (base64url, ≤ 1024 chars). The label is cut to 120 UTF-8 bytes. */
export function sealCodeBlob(o: { team: TeamId; share: ShareId; code: CodeId; epoch: number; shareKey: ShareKey; label: string; wrapKey: CodeWrapKey; holders: Holder[] }): string {
  let label = utf8(o.label);
  while (label.length > MAX_LABEL_BYTES) label = utf8([...fromUtf8(label)].slice(0, -1).join(''));
  const holders = o.holders.slice(0, MAX_HOLDERS);
  const parts = [new Uint8Array([1]), u32be(o.epoch), new Uint8Array([holders.length])];
  for (const h of holders) parts.push(idBytes(h.account), boxSeal(h.boxPk, o.wrapKey));
  parts.push(aeadSeal(o.shareKey, label, ad(o.team, o.share, o.code, o.epoch)));
  return toB64url(concatBytes(...parts));
}

interface Parsed { epoch: number; seals: Map<string, Uint8Array>; label: Uint8Array }

function parse(blob: string): Parsed {
  const b = fromB64url(blob);
  const bad = () => new VaultError('BAD_FORMAT', 'openCodeBlob: malformed code label');
  if (b.length < 6 || b[0] !== 1) throw bad();
  const epoch = new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(1);
  const n = b[5]!;
  let off = 6;
  const seals = new Map<string, Uint8Array>();
  for (let i = 0; i < n; i++) {
    if (off + 16 + SEAL > b.length) throw bad();
    seals.set(toB64url(b.subarray(off, off + 16)), b.subarray(off + 16, off + 16 + SEAL));
    off += 16 + SEAL;
  }
  return { epoch, seals, label: b.subarray(off) };
}

/** The epoch whose share key encrypts the label. */
export function codeBlobEpoch(blob: string): number {
  return parse(blob).epoch;
}

/** Decrypt the label. Throws WRONG_KEY / BAD_FORMAT. */
export function openCodeLabel(team: TeamId, share: ShareId, code: CodeId, blob: string, shareKey: ShareKey): string {
  const p = parse(blob);
  try {
    return fromUtf8(aeadOpen(shareKey, p.label, ad(team, share, code, p.epoch)));
  } catch (e) {
    throw new VaultError('WRONG_KEY', 'openCodeLabel: the label does not open under the share key', { cause: e });
  }
}

/** Accounts the code's wrap key was sealed for (its creator among them); [] for a label in another format. */
export function codeBlobHolders(blob: string): string[] {
  try {
    return [...parse(blob).seals.keys()];
  } catch {
    return [];
  }
}

/** The code's wrap key if it was sealed for `account`; undefined otherwise. */
export function openCodeWrapKey(blob: string, account: string, box: BoxKeyPair): CodeWrapKey | undefined {
  let seal: Uint8Array | undefined;
  try {
    seal = parse(blob).seals.get(account);
  } catch {
    return undefined; // a label in another format: this admin cannot re-wrap for the code
  }
  if (!seal) return undefined;
  try {
    const k = boxOpen(box, seal);
    return k.length === 32 ? (k as CodeWrapKey) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Checkpoints (DESIGN.md §8, "fresh devices are not fooled by an old log"): each device uploads,
 * signed by its account key, the highest roster and share-log heads it verified. A new device of
 * the account verifies them and refuses a roster or log shorter than (or different from) them.
 */
import { canonicalBytes } from '../canonical.js';
import { fromB64url, toB64url } from '../encoding.js';
import { signDetached, verifyDetached } from '../crypto/sign.js';
import type { SignPublicKey } from '../crypto/key-types.js';
import type { ShareId } from '../ids.js';
import { CHECKPOINT_DOMAIN, CheckpointBody, parseWith } from '../../protocol/index.js';
import type { RosterPin } from '../model/roster.js';
import type { Session } from './session.js';

export async function uploadCheckpoint(s: Session): Promise<void> {
  const head = s.roster.head();
  const device = s.keys.device?.id;
  if (!head || !device) return;
  const body: CheckpointBody = {
    team: s.team, account: s.keys.account, device, ts: s.clock.now(),
    roster: { length: head.length, hash: head.hash },
    shares: [...s.shares.values()].filter((st) => st.head.index >= 0).slice(0, 10_000)
      .map((st) => ({ share: st.share as never, length: st.head.index + 1, hash: st.head.hash })),
  } as unknown as CheckpointBody;
  const sig = toB64url(signDetached(s.keys.sign.secretKey, CHECKPOINT_DOMAIN, canonicalBytes(body)));
  await s.conn.request({ type: 'checkpoint.put', body, sig });
}

export interface AccountPins {
  roster: RosterPin[];
  shares: Map<ShareId, { index: number; hash: string }>;
}

/**
 * The highest heads named by the account's checkpoints that verify under its signing key (a
 * relay can drop checkpoints, not forge or alter them). Unverifiable ones are ignored.
 */
export function pinsFromCheckpoints(team: string, account: string, signPk: Uint8Array, raw: { body: unknown; sig: string }[]): AccountPins {
  let roster: { length: number; hash: string } | undefined;
  const shares = new Map<ShareId, { index: number; hash: string }>();
  for (const c of raw) {
    const b = parseWith(CheckpointBody, c.body);
    if (!b.ok || b.value.team !== team || b.value.account !== account) continue;
    try {
      verifyDetached(signPk as SignPublicKey, CHECKPOINT_DOMAIN, canonicalBytes(b.value), fromB64url(c.sig));
    } catch {
      continue;
    }
    if (!roster || b.value.roster.length > roster.length) roster = b.value.roster;
    for (const x of b.value.shares) {
      const cur = shares.get(x.share as unknown as ShareId);
      if (!cur || x.length - 1 > cur.index) shares.set(x.share as unknown as ShareId, { index: x.length - 1, hash: x.hash });
    }
  }
  return { roster: roster ? [{ kind: 'head', ...roster }] : [], shares };
}

/**
 * A version waiting in the outbox under an epoch older than the share's newest verified one (it
 * was written offline while the share was rotated) is re-sealed under the newest epoch before it
 * is pushed — same item, same version — so nothing written after a rotation reaches the relay
 * readable with a rotated-out key. The engine learns the newest epoch (the membership log) before
 * it drains the outbox after a reconnect (engine.ts).
 */
import type { ShareId } from '../ids.js';
import type { RecordEnvelope } from '../model/item.js';
import type { ShareStatePort } from '../vault/ports.js';
import { resealUnderNewestEpoch, type Resealer } from './reencrypt.js';

/** The envelope to push instead of `env`, or undefined when `env` is current (or a tombstone). */
export async function freshenPending(s: Resealer & Pick<ShareStatePort, 'shares'>, share: ShareId, env: RecordEnvelope): Promise<RecordEnvelope | undefined> {
  if (env.kind === 'tombstone') return undefined;
  const epoch = s.shares.get(share)?.epoch;
  if (epoch === undefined || env.epoch >= epoch) return undefined;
  return resealUnderNewestEpoch(s, share, env, env.version, env.baseVersion);
}

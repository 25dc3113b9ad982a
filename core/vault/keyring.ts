/**
 * Share keys by (share, epoch), unwrapped on demand and cached in memory only (lock() wipes).
 *
 * `ShareKeySource` is how a key for an epoch is obtained. The default
 * unwraps the member wrap addressed to this account (crypto_box_seal) and checks it against the
 * epoch's keyCommit from the verified membership log (no commitment, no key); a guest session (access code) plugs in a
 * source that opens code wraps instead. `put()` lets the sharing code register keys it has
 * just created (rotation) without a round trip.
 */
import { fromB64url } from '../encoding.js';
import { VaultError, isVaultError } from '../errors.js';
import type { ShareId, TeamId } from '../ids.js';
import { wipe } from '../crypto/wipe.js';
import type { BoxKeyPair, ShareKey } from '../crypto/key-types.js';
import { unwrapShareKeyForMember } from '../model/share-keys.js';
import type { VaultStore, WrappedKeyRow } from '../store/vault-store.js';

export interface ShareKeySource {
  /**
   * The key of `epoch`, from locally stored wraps; undefined if no wrap for us is stored. The
   * key MUST be checked against `commit` (the verified log's keyCommit of that epoch).
   */
  unwrap(share: ShareId, epoch: number, rows: WrappedKeyRow[], commit: Uint8Array): ShareKey | undefined;
}

/** Refusals that mean the relay tampered with, forked or rolled back a log: never swallowed. */
export const INTEGRITY: ReadonlySet<string> = new Set(['LOG_FORKED', 'LOG_ROLLED_BACK', 'BAD_SIGNATURE', 'TAMPERED', 'BAD_FORMAT', 'KEY_CHANGED']);

export function memberKeySource(team: TeamId, account: string, box: BoxKeyPair): ShareKeySource {
  return {
    unwrap(share, epoch, rows, commit) {
      const row = rows.find((r) => r.epoch === epoch && r.to.kind === 'account' && r.to.id === account);
      if (!row) return undefined;
      return unwrapShareKeyForMember(fromB64url(row.wrapped), box, { team, share, epoch, commit });
    },
  };
}

export class Keyring {
  private readonly cache = new Map<string, ShareKey>();

  constructor(
    private readonly store: VaultStore,
    private readonly source: ShareKeySource,
    /** The verified key commitment of an epoch (from the membership log), if known. */
    private readonly commitFor: (share: ShareId, epoch: number) => Uint8Array | undefined,
    /** Fetch wraps from the relay (keys.get) and store them; called once when a key is missing. */
    private readonly refresh: (share: ShareId) => Promise<void>,
  ) {}

  /** Register a key this device created (share creation, rotation). */
  put(share: ShareId, epoch: number, key: ShareKey): void {
    this.cache.set(`${share}/${epoch}`, key.slice() as ShareKey);
  }

  /**
   * The share key of `epoch`. Throws VaultError('WRONG_KEY') if no wrap for us exists (e.g. a
   * blocked member asking for an epoch after its block) or the wrap fails its commitment.
   */
  async keysFor(share: ShareId, epoch: number): Promise<ShareKey> {
    const k = `${share}/${epoch}`;
    const cached = this.cache.get(k);
    if (cached) return cached;
    // No key is trusted before the verified log commits to it: an epoch the log does not know
    // (yet) is refreshed once, then refused. Never a fallback to an unchecked wrap.
    const attempt = async () => {
      const commit = this.commitFor(share, epoch);
      return commit ? this.source.unwrap(share, epoch, await this.store.getWrappedKeys(share), commit) : undefined;
    };
    let key = await attempt();
    if (!key) {
      try {
        await this.refresh(share);
      } catch (e) {
        // Offline, or the relay no longer serves us this share: WRONG_KEY below. A forked or
        // rolled-back log or a tampered answer is the real reason and is reported as such.
        if (isVaultError(e) && INTEGRITY.has(e.code)) throw e;
      }
      key = await attempt();
    }
    if (!key && !this.commitFor(share, epoch)) throw new VaultError('WRONG_KEY', `keysFor: the verified log of share ${share} has no key commitment for epoch ${epoch}`);
    if (!key) throw new VaultError('WRONG_KEY', `keysFor: no key for share ${share} epoch ${epoch} is addressed to this account`);
    this.cache.set(k, key);
    return key;
  }

  /** Zero and forget every cached key (lock). */
  clear(): void {
    for (const key of this.cache.values()) wipe(key);
    this.cache.clear();
  }
}

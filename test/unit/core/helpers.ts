/** Shared fixtures for core unit tests: small Argon2 cost, ids, a signing member. */
import { ready } from '../../../core/crypto/sodium.js';
import { TEST_KDF_COST, TEST_KDF_FLOOR } from '../../../core/crypto/kdf.js';
import { newSignKeyPair } from '../../../core/crypto/keys.js';
import { newShareKey } from '../../../core/model/share-keys.js';
import { newId, type ItemId, type ShareId, type TeamId } from '../../../core/ids.js';
import { VaultError, type VaultErrorCode } from '../../../core/errors.js';
import type { OpenContext, SealContext } from '../../../core/model/item.js';
import type { ShareKey } from '../../../core/crypto/key-types.js';

export const kdfOpts = { cost: TEST_KDF_COST, floor: TEST_KDF_FLOOR };

export async function setup() {
  await ready();
  const team = newId<TeamId>();
  const share = newId<ShareId>();
  const author = { kind: 'account' as const, id: newId() };
  const signer = newSignKeyPair();
  const shareKey = newShareKey();
  const seal = (over: Partial<SealContext> = {}): SealContext => ({
    team, share, item: newId<ItemId>(), version: 1, baseVersion: 0, epoch: 0, shareKey, author, authorKey: signer.secretKey, ...over,
  });
  const open = (over: Partial<OpenContext> = {}, keys: Record<number, ShareKey> = { 0: shareKey }): OpenContext => ({
    team, share,
    shareKeyFor: (e) => {
      const k = keys[e];
      if (!k) throw new VaultError('WRONG_KEY', `shareKeyFor: no key for epoch ${e}`);
      return k;
    },
    resolveAuthorKey: (a) => {
      if (a.id !== author.id) throw new VaultError('UNKNOWN_AUTHOR', 'resolveAuthorKey: not a member');
      return signer.publicKey;
    },
    ...over,
  });
  return { team, share, author, signer, shareKey, seal, open };
}

/** Expect `fn` (sync or async) to throw a VaultError with `code`. */
export async function expectCode(fn: () => unknown, code: VaultErrorCode): Promise<VaultError> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof VaultError && e.code === code) return e;
    throw new Error(`expected VaultError ${code}, got ${e instanceof VaultError ? e.code + ': ' + e.message : String(e)}`);
  }
  throw new Error(`expected VaultError ${code}, but nothing was thrown`);
}

/** Deterministic pseudo-random bytes (xorshift) for generated test files. */
export function* generatedBytes(total: number, piece = 100_003, seed = 1): Generator<Uint8Array> {
  let x = seed >>> 0 || 1;
  for (let done = 0; done < total; done += piece) {
    const n = Math.min(piece, total - done);
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 4) {
      x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
      out[i] = x & 255; if (i + 1 < n) out[i + 1] = (x >>> 8) & 255; if (i + 2 < n) out[i + 2] = (x >>> 16) & 255; if (i + 3 < n) out[i + 3] = x >>> 24;
    }
    yield out;
  }
}

export async function* asAsync(gen: Iterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  for (const c of gen) yield c;
}

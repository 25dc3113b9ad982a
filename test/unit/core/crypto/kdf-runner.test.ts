/**
 * workerKdf (core/crypto/kdf-runner.ts): the Worker side of Argon2id. Node has no DOM Worker,
 * so the Worker here is a loopback that answers with the real deriveUnlockKey on a later turn,
 * speaking kdf-worker.ts's message format; the real Worker runs in Chromium (e2e, UI bench).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../../../../core/crypto/sodium.js';
import { deriveUnlockKey, newKdfParams, TEST_KDF_COST, TEST_KDF_FLOOR, KDF_FLOOR, type KdfFloor, type KdfParams } from '../../../../core/crypto/kdf.js';
import { inlineKdf, workerKdf, type WorkerLike } from '../../../../core/crypto/kdf-runner.js';
import { isVaultError } from '../../../../core/errors.js';
import type { SecretKeyBytes } from '../../../../core/crypto/key-types.js';

interface Loopback extends WorkerLike { terminated: boolean; requests: number }

function loopback(made: Loopback[]): () => WorkerLike {
  return () => {
    const w: Loopback = {
      onmessage: null, onerror: null, terminated: false, requests: 0,
      postMessage(msg: unknown) {
        const req = msg as { id: number; password: string; secretKey: Uint8Array; params: KdfParams; floor?: KdfFloor };
        w.requests++;
        setTimeout(() => {
          if (w.terminated) return;
          try {
            const key = deriveUnlockKey(req.password, req.secretKey as SecretKeyBytes, req.params, req.floor);
            w.onmessage?.({ data: { id: req.id, ok: true, key } } as MessageEvent);
          } catch (e) {
            w.onmessage?.({ data: { id: req.id, ok: false, code: isVaultError(e) ? e.code : 'INTERNAL', message: String(e) } } as MessageEvent);
          }
        }, 1);
      },
      terminate() { w.terminated = true; },
    };
    made.push(w);
    return w;
  };
}

const sk = Uint8Array.from({ length: 16 }, (_, i) => i + 1) as SecretKeyBytes;

describe('workerKdf', () => {
  beforeAll(async () => { await ready(); });

  it('derives the same key as inline, in a warmed spare worker that is then terminated', async () => {
    const made: Loopback[] = [];
    const kdf = workerKdf(loopback(made), -1);
    kdf.warm?.();
    expect(made).toHaveLength(1);
    const params = newKdfParams(TEST_KDF_COST);
    const key = await kdf('pässwort', sk, params, TEST_KDF_FLOOR);
    expect(made).toHaveLength(1); // the spare was used, not a new worker
    expect(made[0]).toMatchObject({ requests: 1, terminated: true });
    expect(key).toEqual(await inlineKdf('pässwort', sk, params, TEST_KDF_FLOOR));
    await kdf('pässwort', sk, params, TEST_KDF_FLOOR);
    expect(made).toHaveLength(2); // no spare left: one new worker per derivation
    expect(made[1]!.terminated).toBe(true);
  });

  it("reports the worker's error code (KDF_TOO_WEAK below the floor) and terminates it", async () => {
    const made: Loopback[] = [];
    const kdf = workerKdf(loopback(made), -1);
    const err = await kdf('pw', sk, newKdfParams(TEST_KDF_COST), KDF_FLOOR).then(() => null, (e: unknown) => e);
    expect(isVaultError(err, 'KDF_TOO_WEAK')).toBe(true);
    expect(made[0]!.terminated).toBe(true);
  });

  it('a worker that fails to start rejects with INTERNAL; a spare that failed is replaced', async () => {
    const made: Loopback[] = [];
    const make = loopback(made);
    const failing = () => { const w = make(); queueMicrotask(() => w.onerror?.({ message: 'no script' } as ErrorEvent)); return w; };
    const kdf = workerKdf(failing, -1);
    const err = await kdf('pw', sk, newKdfParams(TEST_KDF_COST), TEST_KDF_FLOOR).then(() => null, (e: unknown) => e);
    expect(isVaultError(err, 'INTERNAL')).toBe(true);
    kdf.warm?.();
    await new Promise((r) => setTimeout(r, 5));
    expect(made.at(-1)!.terminated).toBe(true); // the failed spare is gone
    const made2: Loopback[] = [];
    const kdf2 = workerKdf(loopback(made2), -1);
    expect(await kdf2('pw', sk, newKdfParams(TEST_KDF_COST), TEST_KDF_FLOOR)).toHaveLength(32);
  });
});

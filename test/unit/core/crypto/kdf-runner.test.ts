/**
 * workerKdf (core/crypto/kdf-runner.ts): the Worker side of Argon2id. Node has no DOM Worker,
 * so the Worker here is a loopback that answers with kdf-worker.ts's own handler (kdf-request.ts)
 * on a later turn; the real Worker runs in Chromium (e2e, UI bench).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../../../../core/crypto/sodium.js';
import { argon2id, newKdfParams, TEST_KDF_COST, TEST_KDF_FLOOR, KDF_FLOOR } from '../../../../core/crypto/kdf.js';
import { answerKdfRequest, type KdfRequest } from '../../../../core/crypto/kdf-request.js';
import { CODE_SECRET_BYTES, deriveCodeKeys, deriveCodeKeysWith, newAccessCode } from '../../../../core/model/access-code.js';
import { newId, type TeamId } from '../../../../core/ids.js';
import { inlineKdf, workerKdf, type WorkerLike } from '../../../../core/crypto/kdf-runner.js';
import { isVaultError } from '../../../../core/errors.js';
import type { SecretKeyBytes } from '../../../../core/crypto/key-types.js';

interface Loopback extends WorkerLike { terminated: boolean; requests: unknown[] }

/** A Worker stand-in that answers on a later turn with kdf-worker.ts's own handler (answerKdfRequest). */
function loopback(made: Loopback[]): () => WorkerLike {
  return () => {
    const w: Loopback = {
      onmessage: null, onerror: null, terminated: false, requests: [],
      postMessage(msg: unknown) {
        w.requests.push(msg);
        setTimeout(() => {
          if (w.terminated) return;
          w.onmessage?.({ data: answerKdfRequest(msg as KdfRequest) } as MessageEvent);
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
    expect(made[0]!.requests).toHaveLength(1);
    expect(made[0]!.terminated).toBe(true);
    expect(key).toEqual(await inlineKdf('pässwort', sk, params, TEST_KDF_FLOOR));
    await kdf('pässwort', sk, params, TEST_KDF_FLOOR);
    expect(made).toHaveLength(2); // no spare left: one new worker per derivation
    expect(made[1]!.terminated).toBe(true);
  });

  it('prime: the spare grows its memory first, then derives on that same worker; the prime answer is ignored', async () => {
    const made: Loopback[] = [];
    const kdf = workerKdf(loopback(made), -1);
    kdf.prime?.(64 * 1024);
    kdf.prime?.(64 * 1024); // typing on: primed once
    expect(made).toHaveLength(1);
    const params = newKdfParams(TEST_KDF_COST);
    const key = await kdf('pässwort', sk, params, TEST_KDF_FLOOR);
    expect(made).toHaveLength(1);
    expect(made[0]!.requests.map((r) => (r as KdfRequest).kind)).toEqual(['prime', 'unlock']);
    expect((made[0]!.requests[0] as { memlimit: number }).memlimit).toBe(64 * 1024);
    expect(key).toEqual(await inlineKdf('pässwort', sk, params, TEST_KDF_FLOOR));
  });

  it('a primed spare no derivation came for is let go, with its memory', async () => {
    const made: Loopback[] = [];
    const kdf = workerKdf(loopback(made), -1, 20);
    kdf.prime?.(64 * 1024);
    await new Promise((r) => setTimeout(r, 60));
    expect(made[0]!.terminated).toBe(true);
    await kdf('pässwort', sk, newKdfParams(TEST_KDF_COST), TEST_KDF_FLOOR);
    expect(made).toHaveLength(2); // a fresh worker, not the let-go one
  });

  it('the prime request: one Argon2id pass over the given memory; out of range is BAD_FORMAT', () => {
    const ok = answerKdfRequest({ id: 1, kind: 'prime', memlimit: 64 * 1024 });
    expect(ok).toMatchObject({ id: 1, ok: true });
    expect(ok.ok && ok.key.length).toBe(32);
    expect(answerKdfRequest({ id: 2, kind: 'prime', memlimit: 1 })).toMatchObject({ id: 2, ok: false, code: 'BAD_FORMAT' });
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

  it("'code' requests: the raw Argon2id of inline, the request's secret copied (the caller's stays), the worker's copy zeroed", async () => {
    const made: Loopback[] = [];
    const kdf = workerKdf(loopback(made), -1);
    const secret = Uint8Array.from({ length: CODE_SECRET_BYTES }, (_, i) => i + 7);
    const salt = Uint8Array.from({ length: 16 }, (_, i) => 100 + i);
    const seed = await kdf.code(secret, salt, TEST_KDF_COST);
    expect(seed).toEqual(argon2id(secret, salt, TEST_KDF_COST));
    expect(seed).toEqual(await inlineKdf.code(secret, salt, TEST_KDF_COST));
    const req = made[0]!.requests[0] as Extract<KdfRequest, { kind: 'code' }>;
    expect(req).toMatchObject({ kind: 'code', cost: TEST_KDF_COST, salt });
    expect(req.secret.every((b) => b === 0)).toBe(true); // zeroed where it was used
    expect(secret[0]).toBe(7); // the caller's bytes are not
    expect(made[0]!.terminated).toBe(true);
  });

  it("'unlock' requests zero the Secret Key copy they carry", async () => {
    const made: Loopback[] = [];
    await workerKdf(loopback(made), -1)('pw', sk, newKdfParams(TEST_KDF_COST), TEST_KDF_FLOOR);
    const req = made[0]!.requests[0] as Extract<KdfRequest, { kind: 'unlock' }>;
    expect(req.kind).toBe('unlock');
    expect(req.secretKey.every((b) => b === 0)).toBe(true);
    expect(sk[0]).toBe(1);
  });

  it("a 'code' request with a bad salt is BAD_FORMAT from the worker", async () => {
    const made: Loopback[] = [];
    const err = await workerKdf(loopback(made), -1).code(new Uint8Array(CODE_SECRET_BYTES), new Uint8Array(8), TEST_KDF_COST).then(() => null, (e: unknown) => e);
    expect(isVaultError(err, 'BAD_FORMAT')).toBe(true);
    expect(made[0]!.terminated).toBe(true);
  });

  it('a request of an unknown kind is answered with BAD_FORMAT', () => {
    expect(answerKdfRequest({ id: 9, kind: 'scrypt' } as unknown as KdfRequest)).toMatchObject({ id: 9, ok: false, code: 'BAD_FORMAT' });
  });

  it('deriveCodeKeysWith a worker runner gives the keys deriveCodeKeys gives inline', async () => {
    const team = newId<TeamId>();
    const code = newAccessCode(team);
    const viaWorker = await deriveCodeKeysWith(workerKdf(loopback([]), -1), team, code, TEST_KDF_COST);
    const inline = deriveCodeKeys(team, code, TEST_KDF_COST);
    expect(viaWorker.wrapKey).toEqual(inline.wrapKey);
    expect(viaWorker.verifier.publicKey).toEqual(inline.verifier.publicKey);
  });
});

/**
 * Where Argon2id runs (DESIGN.md §2): every derivation the vault makes (unlock, sign-in,
 * creating an account, changing the password, showing the emergency kit, access-code seeds
 * for owners and guests) awaits the KdfRunner of the launcher's deps. In the browser (the web
 * build and Electron's renderer) `workerKdf` runs each derivation in a fresh Worker
 * (kdf-worker.ts, messages in kdf-request.ts) that is terminated afterwards, so the UI thread
 * never blocks for the ~1 s of a production derivation and the WASM memory is returned. Where
 * there is no Worker (Node: tests, the bench's seeding) it runs inline.
 */
import { VAULT_ERROR_CODES, VaultError, type VaultErrorCode } from '../errors.js';
import { argon2id, deriveUnlockKey, KDF_FLOOR, type KdfFloor, type KdfParams } from './kdf.js';
import type { CodeKdfRequest, KdfReply, KdfRequest, UnlockKdfRequest } from './kdf-request.js';
import type { SecretKeyBytes, UnlockKey } from './key-types.js';

/**
 * Called: Argon2id(password) combined with the Secret Key (kdf.ts deriveUnlockKey).
 * `code`: raw Argon2id(secret, salt, cost) → 32 bytes, an access code's seed (access-code.ts).
 * Both possibly off-thread. `warm()`: get ready for the next derivation now (a Worker started
 * and its WASM compiled while the user types the password), if the runner has anything to prepare.
 * `prime(memlimit)`: the person started typing a password: have that Worker grow and touch
 * `memlimit` bytes of WASM memory now, so the derivation that follows does not pay for it.
 */
export type KdfRunner = ((password: string, secretKey: SecretKeyBytes, params: KdfParams, floor?: KdfFloor) => Promise<UnlockKey>) & {
  code: (secret: Uint8Array, salt: Uint8Array, cost: KdfFloor) => Promise<Uint8Array>;
  warm?: () => void;
  prime?: (memlimit: number) => void;
};

/** On the calling thread. */
export const inlineKdf: KdfRunner = Object.assign(
  async (password: string, secretKey: SecretKeyBytes, params: KdfParams, floor: KdfFloor = KDF_FLOOR) => deriveUnlockKey(password, secretKey, params, floor),
  { code: async (secret: Uint8Array, salt: Uint8Array, cost: KdfFloor) => argon2id(secret, salt, cost) },
);

/** The launcher's runner (deps.kdf), or this environment's default where none was given. */
export function kdfOf(deps: { kdf?: KdfRunner }): KdfRunner {
  return deps.kdf ?? defaultKdf();
}

/** The part of a DOM Worker this needs. */
export interface WorkerLike {
  onmessage: ((ev: MessageEvent) => void) | null;
  onerror: ((ev: ErrorEvent) => void) | null;
  postMessage(msg: unknown, transfer?: Transferable[]): void;
  terminate(): void;
}

/** Started again this long after a derivation, for the next unlock (the vault is busy syncing before). */
const REWARM_MS = 3000;
/** A primed spare holds its grown memory this long at most, then is let go (a password typed, never sent). */
const PRIMED_IDLE_MS = 120_000;

type RequestBody = Omit<UnlockKdfRequest, 'id'> | Omit<CodeKdfRequest, 'id'>;

/**
 * One Worker per derivation (made by `spawn`), terminated when it answers or fails, so the
 * memory Argon2id grew its WASM heap to is returned. One spare Worker may wait, started by
 * `warm()` or a few seconds after a derivation, with libsodium loaded but no Argon2id memory;
 * `prime()` has it grow its memory (a first Argon2id over fresh memory costs about twice a
 * second one), and lets that memory go after `primedIdleMs` if no derivation came.
 * A worker's error code becomes the VaultError's code (INTERNAL when it is not one).
 */
export function workerKdf(spawn: () => WorkerLike, rewarmMs = REWARM_MS, primedIdleMs = PRIMED_IDLE_MS): KdfRunner {
  let seq = 0;
  let spare: WorkerLike | null = null;
  let primed: { worker: WorkerLike; timer: ReturnType<typeof setTimeout> } | null = null;
  const warm = () => {
    if (spare) return;
    const w = spawn();
    w.onerror = () => { // a spare that cannot start is dropped; the next derivation starts its own
      if (spare === w) spare = null;
      w.terminate();
    };
    spare = w;
  };
  const take = () => {
    const w = spare ?? spawn();
    spare = null;
    if (primed) clearTimeout(primed.timer);
    primed = null;
    return w;
  };
  const prime = (memlimit: number) => {
    warm();
    const w = spare!;
    if (primed?.worker === w) return;
    w.postMessage({ id: ++seq, kind: 'prime', memlimit } satisfies KdfRequest); // its answer is never awaited
    primed = {
      worker: w,
      timer: setTimeout(() => {
        if (spare !== w) return;
        spare = null;
        primed = null;
        w.terminate();
      }, primedIdleMs),
    };
  };
  const run = (body: RequestBody) => new Promise<Uint8Array>((resolve, reject) => {
    const id = ++seq;
    const w = take();
    const done = () => {
      w.terminate();
      if (rewarmMs >= 0) setTimeout(warm, rewarmMs);
    };
    w.onmessage = (ev) => {
      const r = ev.data as KdfReply;
      if (!r || r.id !== id) return;
      done();
      if (r.ok && r.key instanceof Uint8Array && r.key.length === 32) resolve(r.key);
      else if (!r.ok) reject(new VaultError((VAULT_ERROR_CODES as readonly string[]).includes(r.code) ? r.code as VaultErrorCode : 'INTERNAL', `kdf worker: ${r.message}`));
      else reject(new VaultError('INTERNAL', 'kdf worker: malformed answer'));
    };
    w.onerror = (ev) => {
      done();
      reject(new VaultError('INTERNAL', `kdf worker: ${ev.message || 'failed to start'}`));
    };
    w.postMessage({ id, ...body } satisfies KdfRequest);
  });
  const derive = async (password: string, secretKey: SecretKeyBytes, params: KdfParams, floor: KdfFloor = KDF_FLOOR) =>
    (await run({ kind: 'unlock', password, secretKey: secretKey.slice(), params, floor })) as UnlockKey;
  const code = (secret: Uint8Array, salt: Uint8Array, cost: KdfFloor) => run({ kind: 'code', secret: secret.slice(), salt: salt.slice(), cost: { opslimit: cost.opslimit, memlimit: cost.memlimit } });
  return Object.assign(derive, { code, warm, prime });
}

/**
 * The runner for this environment: a module Worker on kdf-worker.ts where the platform has
 * Workers (bundled by Vite), inline otherwise.
 */
export function defaultKdf(): KdfRunner {
  if (typeof Worker === 'undefined') return inlineKdf;
  return workerKdf(() => new Worker(new URL('./kdf-worker.ts', import.meta.url), { type: 'module', name: 'truhe-kdf' }) as WorkerLike);
}

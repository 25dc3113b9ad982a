/**
 * Where Argon2id runs (DESIGN.md §2): the launcher awaits a KdfRunner. In the browser (the web
 * build and Electron's renderer) `workerKdf` runs each derivation in a fresh Worker
 * (kdf-worker.ts) that is terminated afterwards, so the UI thread never blocks for the ~1 s
 * of a production derivation and the 256 MiB of WASM memory is returned. Where there is no
 * Worker (Node: tests, the bench's seeding) it runs inline.
 */
import { VAULT_ERROR_CODES, VaultError, type VaultErrorCode } from '../errors.js';
import { deriveUnlockKey, KDF_FLOOR, type KdfFloor, type KdfParams } from './kdf.js';
import type { SecretKeyBytes, UnlockKey } from './key-types.js';

/**
 * Argon2id(password) combined with the Secret Key (kdf.ts deriveUnlockKey), possibly off-thread.
 * `warm()`: get ready for the next derivation now (a Worker started and its WASM compiled while
 * the user types the password), if the runner has anything to prepare.
 */
export type KdfRunner = ((password: string, secretKey: SecretKeyBytes, params: KdfParams, floor?: KdfFloor) => Promise<UnlockKey>) & { warm?: () => void };

/** On the calling thread. */
export const inlineKdf: KdfRunner = async (password, secretKey, params, floor = KDF_FLOOR) => deriveUnlockKey(password, secretKey, params, floor);

/** The part of a DOM Worker this needs. */
export interface WorkerLike {
  onmessage: ((ev: MessageEvent) => void) | null;
  onerror: ((ev: ErrorEvent) => void) | null;
  postMessage(msg: unknown): void;
  terminate(): void;
}

type Reply = { id: number; ok: true; key: Uint8Array } | { id: number; ok: false; code: string; message: string };

/** Started again this long after a derivation, for the next unlock (the vault is busy syncing before). */
const REWARM_MS = 3000;

/**
 * One Worker per derivation (made by `spawn`), terminated when it answers or fails, so the
 * 256 MiB Argon2id grew its memory to are returned. One spare Worker may wait, started by
 * `warm()` or a few seconds after a derivation, with libsodium loaded but no Argon2id memory.
 */
export function workerKdf(spawn: () => WorkerLike, rewarmMs = REWARM_MS): KdfRunner {
  let seq = 0;
  let spare: WorkerLike | null = null;
  const warm = () => {
    if (spare) return;
    const w = spawn();
    w.onerror = () => { // a spare that cannot start is dropped; the next derivation starts its own
      if (spare === w) spare = null;
      w.terminate();
    };
    spare = w;
  };
  const take = () => { const w = spare ?? spawn(); spare = null; return w; };
  const derive = (password: string, secretKey: SecretKeyBytes, params: KdfParams, floor: KdfFloor = KDF_FLOOR) => new Promise<UnlockKey>((resolve, reject) => {
    const id = ++seq;
    const w = take();
    const done = () => {
      w.terminate();
      if (rewarmMs >= 0) setTimeout(warm, rewarmMs);
    };
    w.onmessage = (ev) => {
      const r = ev.data as Reply;
      if (!r || r.id !== id) return;
      done();
      if (r.ok && r.key instanceof Uint8Array && r.key.length === 32) resolve(r.key as UnlockKey);
      else if (!r.ok) reject(new VaultError((VAULT_ERROR_CODES as readonly string[]).includes(r.code) ? r.code as VaultErrorCode : 'INTERNAL', `kdf worker: ${r.message}`));
      else reject(new VaultError('INTERNAL', 'kdf worker: malformed answer'));
    };
    w.onerror = (ev) => {
      done();
      reject(new VaultError('INTERNAL', `kdf worker: ${ev.message || 'failed to start'}`));
    };
    w.postMessage({ id, password, secretKey: secretKey.slice(), params, floor });
  });
  return Object.assign(derive, { warm });
}

/**
 * The runner for this environment: a module Worker on kdf-worker.ts where the platform has
 * Workers (bundled by Vite), inline otherwise.
 */
export function defaultKdf(): KdfRunner {
  if (typeof Worker === 'undefined') return inlineKdf;
  return workerKdf(() => new Worker(new URL('./kdf-worker.ts', import.meta.url), { type: 'module', name: 'truhe-kdf' }) as WorkerLike);
}

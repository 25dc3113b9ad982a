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

/** Argon2id(password) combined with the Secret Key (kdf.ts deriveUnlockKey), possibly off-thread. */
export type KdfRunner = (password: string, secretKey: SecretKeyBytes, params: KdfParams, floor?: KdfFloor) => Promise<UnlockKey>;

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

/** One Worker per derivation (made by `spawn`), terminated when it answers or fails. */
export function workerKdf(spawn: () => WorkerLike): KdfRunner {
  let seq = 0;
  return (password, secretKey, params, floor = KDF_FLOOR) => new Promise<UnlockKey>((resolve, reject) => {
    const id = ++seq;
    const w = spawn();
    w.onmessage = (ev) => {
      const r = ev.data as Reply;
      if (!r || r.id !== id) return;
      w.terminate();
      if (r.ok && r.key instanceof Uint8Array && r.key.length === 32) resolve(r.key as UnlockKey);
      else if (!r.ok) reject(new VaultError((VAULT_ERROR_CODES as readonly string[]).includes(r.code) ? r.code as VaultErrorCode : 'INTERNAL', `kdf worker: ${r.message}`));
      else reject(new VaultError('INTERNAL', 'kdf worker: malformed answer'));
    };
    w.onerror = (ev) => {
      w.terminate();
      reject(new VaultError('INTERNAL', `kdf worker: ${ev.message || 'failed to start'}`));
    };
    w.postMessage({ id, password, secretKey: secretKey.slice(), params, floor });
  });
}

/**
 * The runner for this environment: a module Worker on kdf-worker.ts where the platform has
 * Workers (bundled by Vite), inline otherwise.
 */
export function defaultKdf(): KdfRunner {
  if (typeof Worker === 'undefined') return inlineKdf;
  return workerKdf(() => new Worker(new URL('./kdf-worker.ts', import.meta.url), { type: 'module', name: 'truhe-kdf' }) as WorkerLike);
}

/**
 * Worker entry: runs Argon2id away from the UI thread, in a Worker that is terminated after
 * one derivation so its 256 MiB of WASM memory is returned (DESIGN.md §2).
 *
 * Message in:  {id, password, secretKey: Uint8Array(16), params: KdfParams, floor?: KdfFloor}
 * Message out: {id, ok: true, key: Uint8Array(32)} | {id, ok: false, code, message}
 * The key buffer is transferred (not copied) and the worker's copy is zeroed.
 */
import { isVaultError } from '../errors.js';
import { deriveUnlockKey, type KdfFloor, type KdfParams } from './kdf.js';
import type { SecretKeyBytes } from './key-types.js';
import { ready } from './sodium.js';

interface KdfRequest {
  id: number;
  password: string;
  secretKey: Uint8Array;
  params: KdfParams;
  floor?: KdfFloor;
}

interface WorkerScope {
  onmessage: ((ev: MessageEvent<KdfRequest>) => void) | null;
  postMessage(msg: unknown, transfer?: Transferable[]): void;
}

const scope = globalThis as unknown as WorkerScope;
void ready(); // load libsodium at once: a spare worker is started before the password is typed

scope.onmessage = (ev) => {
  const req = ev.data;
  void ready().then(() => {
    try {
      const key = deriveUnlockKey(req.password, req.secretKey as SecretKeyBytes, req.params, req.floor);
      req.secretKey.fill(0);
      scope.postMessage({ id: req.id, ok: true, key }, [key.buffer]);
    } catch (e) {
      const code = isVaultError(e) ? e.code : 'INTERNAL';
      scope.postMessage({ id: req.id, ok: false, code, message: e instanceof Error ? e.message : 'kdfWorker: failed' });
    }
  });
};

/** Small helpers shared by the hostile-relay tests. */
import { simDevice, type SimDevice } from '../integration/sync/helpers/devices.js';
import { isVaultError, type VaultErrorCode } from '../../core/errors.js';

let n = 0;
/** A simulated device with a unique name (own fake-indexeddb). */
export function device(tag: string): SimDevice {
  return simDevice(`${tag}-${process.pid}-${n++}`);
}

/** Await a rejection and return its VaultError code (fails on success or a non-VaultError). */
export async function codeOf(p: Promise<unknown>): Promise<VaultErrorCode> {
  try {
    await p;
  } catch (e) {
    if (isVaultError(e)) return e.code;
    throw new Error(`expected a VaultError, got ${String(e)}`);
  }
  throw new Error('expected a rejection, got success');
}

/** Poll `check` until it returns a value; bounded (a liveness guard, not a timing assertion). */
export async function until<T>(check: () => T | undefined | Promise<T | undefined>, what: string, limitMs = 30_000): Promise<T> {
  const end = Date.now() + limitMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v as T;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

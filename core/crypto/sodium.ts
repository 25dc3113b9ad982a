/**
 * The only module that imports libsodium (layer rule, scripts/check-boundaries.js).
 * Call `await ready()` once before any other crypto function; every helper in core/crypto
 * is synchronous afterwards and throws VaultError('INTERNAL') if ready() was never awaited.
 *
 * Import note: `libsodium-wrappers-sumo` ships an ESM build (`exports.import` →
 * dist/modules-sumo-esm/*.mjs) whose default export is the wrapper object; it works unchanged
 * under Node 20 (tsx, vitest) and under Vite for the browser and Web Workers. The sumo build is
 * required: the plain one has no crypto_pwhash (Argon2id).
 */
import libsodium from 'libsodium-wrappers-sumo';
import { VaultError } from '../errors.js';

export type Sodium = typeof libsodium;

let loaded = false;
let loading: Promise<Sodium> | null = null;

/** Resolves once the WASM module is initialised. Safe to call many times. */
export function ready(): Promise<Sodium> {
  loading ??= libsodium.ready.then(() => {
    loaded = true;
    return libsodium;
  });
  return loading;
}

/** The initialised libsodium object. Throws VaultError('INTERNAL') before `ready()` resolved. */
export function sodium(): Sodium {
  if (!loaded) throw new VaultError('INTERNAL', 'sodium: await ready() before using crypto');
  return libsodium;
}

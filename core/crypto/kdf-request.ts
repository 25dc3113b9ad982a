/**
 * The messages of the Argon2id Worker (kdf-worker.ts) and the pure function that answers them,
 * so the Worker entry only wires `onmessage` and tests can drive the real answer in Node.
 *
 * Request kinds:
 *   unlock: {id, kind: 'unlock', password, secretKey: Uint8Array(16), params: KdfParams, floor?}
 *           → the unlock key (kdf.ts deriveUnlockKey: account create/unlock/sign-in/password change)
 *   code:   {id, kind: 'code', secret: Uint8Array, salt: Uint8Array(16), cost: KdfFloor}
 *           → the raw Argon2id seed of an access code (access-code.ts)
 *   prime:  {id, kind: 'prime', memlimit} → one pass of Argon2id over `memlimit` bytes of a
 *           throwaway input: the Worker's WASM memory is grown and touched before the real
 *           derivation, which then runs about twice as fast (kdf-runner.ts prime)
 * Reply: {id, ok: true, key: Uint8Array(32)} | {id, ok: false, code: VaultErrorCode, message}
 * The inputs' secret bytes are zeroed after use; the key buffer is meant to be transferred.
 */
import { VaultError, isVaultError } from '../errors.js';
import { argon2id, deriveUnlockKey, type KdfFloor, type KdfParams } from './kdf.js';
import type { SecretKeyBytes } from './key-types.js';

export interface UnlockKdfRequest {
  id: number;
  kind: 'unlock';
  password: string;
  secretKey: Uint8Array;
  params: KdfParams;
  floor?: KdfFloor;
}

export interface CodeKdfRequest {
  id: number;
  kind: 'code';
  secret: Uint8Array;
  salt: Uint8Array;
  cost: KdfFloor;
}

export interface PrimeKdfRequest {
  id: number;
  kind: 'prime';
  memlimit: number;
}

export type KdfRequest = UnlockKdfRequest | CodeKdfRequest | PrimeKdfRequest;

export type KdfReply = { id: number; ok: true; key: Uint8Array } | { id: number; ok: false; code: string; message: string };

function derive(req: KdfRequest): Uint8Array {
  if (req.kind === 'unlock') {
    try {
      return deriveUnlockKey(req.password, req.secretKey as SecretKeyBytes, req.params, req.floor);
    } finally {
      if (req.secretKey instanceof Uint8Array) req.secretKey.fill(0);
    }
  }
  if (req.kind === 'code') {
    try {
      return argon2id(req.secret, req.salt, req.cost);
    } finally {
      if (req.secret instanceof Uint8Array) req.secret.fill(0);
    }
  }
  if (req.kind === 'prime') return argon2id(new Uint8Array(1), new Uint8Array(16), { opslimit: 1, memlimit: req.memlimit });
  throw new VaultError('BAD_FORMAT', `kdf request: unknown kind ${String((req as { kind?: unknown }).kind)}`);
}

/** Answer one request (on whatever thread calls it; libsodium must be ready). */
export function answerKdfRequest(req: KdfRequest): KdfReply {
  try {
    return { id: req.id, ok: true, key: derive(req) };
  } catch (e) {
    return { id: req.id, ok: false, code: isVaultError(e) ? e.code : 'INTERNAL', message: e instanceof Error ? e.message : 'kdf: failed' };
  }
}

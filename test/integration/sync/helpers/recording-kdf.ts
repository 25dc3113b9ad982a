/**
 * A KdfRunner for tests (issue 19): the real inline runner (core/crypto/kdf-runner.ts), wrapped
 * to record each derivation — which kind, with which parameters — so a test can show that an
 * operation ran Argon2id through the launcher's runner (in the app: a Worker) and how often.
 * `countArgon2id` counts every crypto_pwhash call in this process, through a runner or not: a
 * test asserting it equals the recorded derivations shows that nothing ran Argon2id inline.
 */
import { inlineKdf, type KdfRunner } from '../../../../core/crypto/kdf-runner.js';
import type { KdfFloor, KdfParams } from '../../../../core/crypto/kdf.js';
import { ready } from '../../../../core/crypto/sodium.js';

export type Derivation =
  | { kind: 'unlock'; params: KdfParams; floor: KdfFloor | undefined }
  | { kind: 'code'; salt: Uint8Array; cost: KdfFloor; secretLength: number };

export interface RecordingKdf {
  runner: KdfRunner;
  derivations: Derivation[];
}

export function recordingKdf(): RecordingKdf {
  const derivations: Derivation[] = [];
  const runner: KdfRunner = Object.assign(
    (password: string, secretKey: Parameters<KdfRunner>[1], params: KdfParams, floor?: KdfFloor) => {
      derivations.push({ kind: 'unlock', params: { ...params }, floor });
      return inlineKdf(password, secretKey, params, floor);
    },
    {
      code: (secret: Uint8Array, salt: Uint8Array, cost: KdfFloor) => {
        derivations.push({ kind: 'code', salt: salt.slice(), cost: { ...cost }, secretLength: secret.length });
        return inlineKdf.code(secret, salt, cost);
      },
    },
  );
  return { runner, derivations };
}

/** Counts libsodium's crypto_pwhash (Argon2id) calls from now on; `restore()` puts it back. */
export async function countArgon2id(): Promise<{ readonly calls: number; restore(): void }> {
  const s = await ready();
  const original = s.crypto_pwhash;
  const counter = { calls: 0, restore: () => { s.crypto_pwhash = original; } };
  s.crypto_pwhash = ((...args: Parameters<typeof original>) => {
    counter.calls++;
    return original(...args);
  }) as typeof original;
  return counter;
}

/**
 * Known-answer vectors: fixed inputs (fixed "random" bytes through the test hook) → fixed
 * outputs, checked in at test/vectors/core-v1.json. A refactor that changes any format (KDF,
 * AEAD layout, STREAM nonces, record body, signature bytes, text codes) fails here loudly.
 * Regenerate deliberately with `UPDATE_VECTORS=1 npx vitest run test/unit/core/vectors.test.ts`.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ready } from '../../../core/crypto/sodium.js';
import { combineUnlockKey, deriveSubkey, passwordKey, TEST_KDF_COST, TEST_KDF_FLOOR, type KdfParams } from '../../../core/crypto/kdf.js';
import { aeadSeal } from '../../../core/crypto/aead.js';
import { newStreamHeader, sealChunk, MIN_CHUNK_SIZE } from '../../../core/crypto/stream.js';
import { signDetached } from '../../../core/crypto/sign.js';
import { signKeyPairFromSeed } from '../../../core/crypto/keys.js';
import { sealNote } from '../../../core/model/note.js';
import { keyCommit } from '../../../core/model/share-keys.js';
import { formatSecretKey } from '../../../core/model/secret-key.js';
import { codeIdFromTag, formatAccessCode, deriveCodeKeys } from '../../../core/model/access-code.js';
import { safetyNumber } from '../../../core/model/fingerprint.js';
import { toB64url } from '../../../core/encoding.js';
import type { FileKey, SecretKeyBytes, ShareKey, SymmetricKey, PasswordKey, BoxPublicKey } from '../../../core/crypto/key-types.js';
import type { AccountId, CodeId, ItemId, ShareId, TeamId } from '../../../core/ids.js';

/** The CSPRNG, replaceable in this file only (the production module has no test switch). */
const rnd = vi.hoisted(() => ({ source: null as null | ((n: number) => Uint8Array) }));
vi.mock('../../../core/crypto/random.js', async (orig) => {
  const real = await orig<typeof import('../../../core/crypto/random.js')>();
  return { ...real, randomBytes: (n: number) => (rnd.source ? rnd.source(n) : real.randomBytes(n)) };
});
const __setRandomSourceForTests = (fn: ((n: number) => Uint8Array) | null) => { rnd.source = fn; };


const FILE = new URL('../../vectors/core-v1.json', import.meta.url);

/** Deterministic bytes: SHA-256(label ‖ counter) stream. */
function det(label: string) {
  let ctr = 0;
  return (n: number): Uint8Array => {
    const out = new Uint8Array(n);
    for (let off = 0; off < n; off += 32) {
      out.set(createHash('sha256').update(`${label}/${ctr++}`).digest().subarray(0, Math.min(32, n - off)), off);
    }
    return out;
  };
}
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function compute(): Record<string, unknown> {
  const fixed = det('truhe-vectors');
  const id = <T>() => toB64url(fixed(16)) as T;
  const team = id<TeamId>(); const share = id<ShareId>(); const item = id<ItemId>(); const account = id<AccountId>();
  const v: Record<string, unknown> = { team, share, item, account };

  const kdf: KdfParams = { alg: 'argon2id13', ...TEST_KDF_COST, salt: toB64url(fixed(16)) };
  const pw = passwordKey('truhe test password', kdf, TEST_KDF_FLOOR);
  const sk = fixed(16) as SecretKeyBytes;
  const unlock = combineUnlockKey(pw as PasswordKey, sk);
  v.kdf = { params: kdf, passwordKey: hex(pw), secretKey: formatSecretKey(sk), unlockKey: hex(unlock), authSubkey: hex(deriveSubkey(unlock, 'auth')) };

  const key = fixed(32) as SymmetricKey;
  __setRandomSourceForTests(det('aead-nonce'));
  v.aead = { key: hex(key), ad: 'truhe-ad', plaintext: 'hello, Truhe', sealed: hex(aeadSeal(key, new TextEncoder().encode('hello, Truhe'), new TextEncoder().encode('truhe-ad'))) };

  __setRandomSourceForTests(det('stream-prefix'));
  const fk = fixed(32) as FileKey;
  const h = newStreamHeader(fk, MIN_CHUNK_SIZE);
  const c0 = sealChunk(fk, h, 0, new Uint8Array(MIN_CHUNK_SIZE).fill(0x61), false);
  const c1 = sealChunk(fk, h, 1, new TextEncoder().encode('tail'), true);
  v.stream = { key: hex(fk), header: hex(h.bytes), chunk0Sha256: sha(c0), chunk0Length: c0.length, chunk1: hex(c1) };

  const signer = signKeyPairFromSeed(fixed(32));
  v.sign = { publicKey: hex(signer.publicKey), sig: hex(signDetached(signer.secretKey, 'truhe/test/v1', new TextEncoder().encode('message'))) };

  const shareKey = fixed(32) as ShareKey;
  v.keyCommit = hex(keyCommit(shareKey, team, share, 7));
  __setRandomSourceForTests(det('note-random'));
  v.note = sealNote({ team, share, item, version: 2, baseVersion: 1, epoch: 7, shareKey, author: { kind: 'account', id: account }, authorKey: signer.secretKey },
    { title: 'Vector', body: 'Known answer', tags: ['kat'], updatedAt: 1_700_000_000_000 });

  const code = { id: id<CodeId>(), secret: fixed(13) };
  const ck = deriveCodeKeys(team, code, TEST_KDF_COST);
  v.accessCode = { typed: formatAccessCode(code), verifierPk: hex(ck.verifier.publicKey), wrapKey: hex(ck.wrapKey) };
  v.safetyNumber = safetyNumber(account, fixed(32) as BoxPublicKey, signer.publicKey);
  const tag = fixed(3);
  v.accessCodeV2 = { typed: formatAccessCode({ id: codeIdFromTag(team, tag), secret: fixed(13), tag }), id: codeIdFromTag(team, tag) };
  __setRandomSourceForTests(null);
  return v;
}

describe('known-answer vectors (test/vectors/core-v1.json)', () => {
  beforeAll(ready);
  afterAll(() => __setRandomSourceForTests(null));

  it('every format produces the checked-in bytes', () => {
    const got = JSON.parse(JSON.stringify(compute()));
    if (process.env.UPDATE_VECTORS === '1') writeFileSync(FILE, `${JSON.stringify(got, null, 2)}\n`);
    expect(existsSync(FILE), 'vectors file missing: run with UPDATE_VECTORS=1 once').toBe(true);
    const want = JSON.parse(readFileSync(FILE, 'utf8'));
    for (const k of Object.keys(want)) expect(got[k], `vector ${k}`).toEqual(want[k]);
    expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
  });

  it('the random hook is really off afterwards', () => {
    __setRandomSourceForTests(null);
    expect(hex(aeadSeal(new Uint8Array(32) as SymmetricKey, new Uint8Array(1), new Uint8Array(0)))).not.toBe(hex(aeadSeal(new Uint8Array(32) as SymmetricKey, new Uint8Array(1), new Uint8Array(0))));
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../../../../core/crypto/sodium.js';
import { aeadOpen, aeadSeal } from '../../../../core/crypto/aead.js';
import { checkKdfParams, deriveSubkey, newKdfParams, passwordKey, TEST_KDF_COST, TEST_KDF_FLOOR } from '../../../../core/crypto/kdf.js';
import { randomKey } from '../../../../core/crypto/keys.js';
import { sha256, sha256Async } from '../../../../core/crypto/hash.js';
import { wipe } from '../../../../core/crypto/wipe.js';
import type { ShareKey } from '../../../../core/crypto/key-types.js';
import { expectCode } from '../helpers.js';

describe('aead', () => {
  beforeAll(ready);
  const ad = new TextEncoder().encode('ad');
  it('round-trips with 40 bytes overhead and random nonces', () => {
    const k = randomKey<ShareKey>();
    const a = aeadSeal(k, Uint8Array.of(1, 2, 3), ad);
    const b = aeadSeal(k, Uint8Array.of(1, 2, 3), ad);
    expect(a.length).toBe(3 + 40);
    expect(a).not.toEqual(b);
    expect(aeadOpen(k, a, ad)).toEqual(Uint8Array.of(1, 2, 3));
  });
  it('flip / swapped AD / wrong key → TAMPERED; truncated → TRUNCATED', async () => {
    const k = randomKey<ShareKey>();
    const s = aeadSeal(k, new Uint8Array(100), ad);
    for (const i of [0, 23, 24, 60, s.length - 1]) {
      const t = s.slice(); t[i]! ^= 0x80;
      await expectCode(() => aeadOpen(k, t, ad), 'TAMPERED');
    }
    await expectCode(() => aeadOpen(k, s, new TextEncoder().encode('other')), 'TAMPERED');
    await expectCode(() => aeadOpen(randomKey<ShareKey>(), s, ad), 'TAMPERED');
    await expectCode(() => aeadOpen(k, s.subarray(0, 39), ad), 'TRUNCATED');
  });
});

describe('kdf', () => {
  beforeAll(ready);
  it('is deterministic per salt, differs per salt; subkeys separate contexts and ids', () => {
    const p = newKdfParams(TEST_KDF_COST);
    const a = passwordKey('pw', p, TEST_KDF_FLOOR);
    expect(passwordKey('pw', p, TEST_KDF_FLOOR)).toEqual(a);
    expect(passwordKey('pw', newKdfParams(TEST_KDF_COST), TEST_KDF_FLOOR)).not.toEqual(a);
    const k = randomKey<ShareKey>();
    const subs = [deriveSubkey(k, 'auth'), deriveSubkey(k, 'auth', 1), deriveSubkey(k, 'file-stream'), deriveSubkey(k, 'aut', 0)];
    expect(new Set(subs.map((s) => Buffer.from(s).toString('hex'))).size).toBe(4);
  });
  it('rejects malformed params with BAD_FORMAT and weak ones with KDF_TOO_WEAK', async () => {
    const p = newKdfParams(TEST_KDF_COST);
    await expectCode(() => checkKdfParams({ ...p, alg: 'argon2i13' as 'argon2id13' }, TEST_KDF_FLOOR), 'BAD_FORMAT');
    await expectCode(() => checkKdfParams({ ...p, salt: 'AAAA' }, TEST_KDF_FLOOR), 'BAD_FORMAT');
    await expectCode(() => checkKdfParams({ ...p, opslimit: 1.5 }, TEST_KDF_FLOOR), 'BAD_FORMAT');
    await expectCode(() => checkKdfParams(p), 'KDF_TOO_WEAK');
  });
  it('native and WASM SHA-256 agree; wipe zeroes', async () => {
    const d = new Uint8Array(70_000).fill(3);
    expect(await sha256Async(d)).toEqual(sha256(d));
    const k = randomKey<ShareKey>(); wipe(k);
    expect(k.every((x) => x === 0)).toBe(true);
  });
});

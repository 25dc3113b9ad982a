import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../../../../core/crypto/sodium.js';
import { checkKdfParams, KDF_FLOOR, TEST_KDF_FLOOR } from '../../../../core/crypto/kdf.js';
import { newId, type AccountId, type TeamId } from '../../../../core/ids.js';
import { changePassword, createAccount, lockAccount, toRelayBundle, unlockAccount, addDeviceKey } from '../../../../core/model/account.js';
import { formatSecretKey, newSecretKey, parseSecretKey } from '../../../../core/model/secret-key.js';
import { expectCode, kdfOpts } from '../helpers.js';

describe('account', () => {
  beforeAll(ready);
  const team = newId<TeamId>();
  const account = newId<AccountId>();

  it('creates and unlocks with password + Secret Key; keys match', () => {
    const { keys, secretKey, bundle } = createAccount({ team, account, password: 'correct horse', ...kdfOpts });
    expect(secretKey).toMatch(/^A3-[0-9A-Z]{6}-[0-9A-Z]{6}(-[0-9A-Z]{5}){4}$/);
    const again = unlockAccount({ bundle, password: 'correct horse', secretKey: secretKey.toLowerCase().replace(/-/g, ' '), floor: TEST_KDF_FLOOR });
    expect(again.box.secretKey).toEqual(keys.box.secretKey);
    expect(again.sign.secretKey).toEqual(keys.sign.secretKey);
    expect(again.auth.publicKey).toEqual(keys.auth.publicKey);
    expect(JSON.stringify(bundle)).not.toContain('correct horse');
  });

  it('wrong password → WRONG_PASSWORD, wrong Secret Key → WRONG_SECRET_KEY, typo → BAD_SECRET_KEY_FORMAT', async () => {
    const { secretKey, bundle } = createAccount({ team, account, password: 'pw-1', ...kdfOpts });
    await expectCode(() => unlockAccount({ bundle, password: 'pw-2', secretKey, floor: TEST_KDF_FLOOR }), 'WRONG_PASSWORD');
    const other = formatSecretKey(newSecretKey());
    await expectCode(() => unlockAccount({ bundle, password: 'pw-1', secretKey: other, floor: TEST_KDF_FLOOR }), 'WRONG_SECRET_KEY');
    // relay copy behaves the same (it keeps the Secret Key verifier; no password verifier)
    await expectCode(() => unlockAccount({ bundle: toRelayBundle(bundle), password: 'pw-2', secretKey, floor: TEST_KDF_FLOOR }), 'WRONG_PASSWORD');
    const typo = secretKey.slice(0, 5) + (secretKey[5] === 'X' ? 'Y' : 'X') + secretKey.slice(6);
    await expectCode(() => parseSecretKey(typo), 'BAD_SECRET_KEY_FORMAT');
    await expectCode(() => parseSecretKey('A3-123'), 'BAD_SECRET_KEY_FORMAT');
    await expectCode(() => parseSecretKey('A3-!!!'), 'BAD_SECRET_KEY_FORMAT');
  });

  it('refuses KDF parameters below the floor (downgrade) with KDF_TOO_WEAK', async () => {
    const { secretKey, bundle } = createAccount({ team, account, password: 'pw', ...kdfOpts });
    await expectCode(() => unlockAccount({ bundle, password: 'pw', secretKey }), 'KDF_TOO_WEAK');
    await expectCode(() => checkKdfParams({ ...bundle.kdf, opslimit: 2, memlimit: KDF_FLOOR.memlimit }), 'KDF_TOO_WEAK');
    await expectCode(() => checkKdfParams({ ...bundle.kdf, opslimit: 3, memlimit: 128 * 1024 * 1024 }), 'KDF_TOO_WEAK');
    expect(checkKdfParams({ ...bundle.kdf, opslimit: 3, memlimit: KDF_FLOOR.memlimit }).opslimit).toBe(3);
    // swapping stored params (even upward) breaks the AD-bound blob
    const swapped = { ...bundle, kdf: { ...bundle.kdf, opslimit: 2 } };
    await expectCode(() => unlockAccount({ bundle: swapped, password: 'pw', secretKey, floor: TEST_KDF_FLOOR }), 'WRONG_PASSWORD');
  });

  it('changes the password: re-wraps the blob only; old password stops working', async () => {
    const { keys, secretKey, bundle } = createAccount({ team, account, password: 'old', ...kdfOpts });
    const withDevice = addDeviceKey(keys, bundle, newId());
    const boxSk = keys.box.secretKey.slice();
    await expectCode(() => changePassword({ keys, bundle: withDevice, oldPassword: 'nope', newPassword: 'new', ...kdfOpts }), 'WRONG_PASSWORD');
    const next = changePassword({ keys, bundle: withDevice, oldPassword: 'old', newPassword: 'new', ...kdfOpts });
    expect(next.blob).not.toBe(withDevice.blob);
    expect(next.kdf.salt).not.toBe(withDevice.kdf.salt);
    expect(next.boxPk).toBe(withDevice.boxPk);
    await expectCode(() => unlockAccount({ bundle: next, password: 'old', secretKey, floor: TEST_KDF_FLOOR }), 'WRONG_PASSWORD');
    const un = unlockAccount({ bundle: next, password: 'new', secretKey, floor: TEST_KDF_FLOOR });
    expect(un.box.secretKey).toEqual(boxSk);
    expect(un.device?.sign.publicKey).toEqual(keys.device?.sign.publicKey);
  });

  it('lock zeroes every key buffer', () => {
    const { keys } = createAccount({ team, account, password: 'pw', ...kdfOpts });
    addDeviceKey(keys, createAccount({ team, account, password: 'x', ...kdfOpts }).bundle, newId());
    const bufs = [keys.secretKey, keys.unlockKey, keys.box.secretKey, keys.sign.secretKey, keys.auth.secretKey, keys.device!.sign.secretKey];
    expect(bufs.every((b) => b.some((x) => x !== 0))).toBe(true);
    lockAccount(keys);
    for (const b of bufs) expect(Array.from(b).every((x) => x === 0)).toBe(true);
  });

  it('Secret Key format round-trips and is typo-tolerant (I/L/O, case, spaces)', () => {
    const k = newSecretKey();
    const s = formatSecretKey(k);
    expect(parseSecretKey(s)).toEqual(k);
    expect(parseSecretKey(s.slice(3).replace(/1/g, 'l').replace(/0/g, 'o').toLowerCase())).toEqual(k);
  });
});

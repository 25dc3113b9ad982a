/**
 * Issue 19: Argon2id runs once per unlock and once per new-device sign-in (it ran twice at
 * sign-in: for the account auth and again to open the account blob), and always through the
 * launcher's KdfRunner — in the app a Worker (core/crypto/kdf-runner.ts), here inline. Real
 * relay, real core; the runner is the real inline one, wrapped to record each call.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relayAvailable, startRelay, type RelayProcess } from './helpers/relay.js';
import { simDevice, synced, waitFor, type SimDevice } from './helpers/devices.js';
import { inlineKdf, type KdfRunner } from '../../../core/crypto/kdf-runner.js';
import type { KdfFloor, KdfParams } from '../../../core/crypto/kdf.js';
import type { SecretKeyBytes } from '../../../core/crypto/key-types.js';
import { isVaultError } from '../../../core/errors.js';
import type { EmergencyKit, VaultApi } from '../../../core/vault-api.js';

const PW = 'correct horse battery staple';
let relay: RelayProcess;
let a: VaultApi;
let kit: EmergencyKit;
const derivations: KdfParams[] = [];
const recording: KdfRunner = Object.assign((password: string, secretKey: SecretKeyBytes, params: KdfParams, floor?: KdfFloor) => {
  derivations.push(params);
  return inlineKdf(password, secretKey, params, floor);
}, { code: inlineKdf.code });

/** The names of the shares the vault lists once it has synced them. */
function sharesOf(v: VaultApi): Promise<string[]> {
  return waitFor(v, async () => { const names = (await v.listShares()).map((s) => s.name); return names.length && !names.includes('') ? names : undefined; }, 'shares listed');
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return isVaultError(e) ? e.code : `not a VaultError: ${String(e)}`;
  }
  return 'resolved';
}

describe.skipIf(!relayAvailable)('Argon2id once', () => {
  let devB: SimDevice;
  let b: VaultApi | undefined;
  beforeAll(async () => {
    relay = await startRelay();
    const created = await simDevice('kdf-a').launcher.createTeam({ displayName: 'Owner', teamName: 'Firm', relayUrl: relay.url, password: PW, deviceName: 'a' });
    a = created.vault;
    kit = created.kit;
    const share = (await a.createShare('Kanzlei')).id;
    await a.saveNote(share, { title: 'Akte', body: 'x', tags: [] });
    await synced(a);
    devB = simDevice('kdf-b', { kdf: recording });
  }, 60_000);

  afterAll(async () => {
    await a?.lock();
    await b?.lock().catch(() => undefined);
    await relay?.stop();
  });

  it('a new-device sign-in derives once and opens the account', async () => {
    derivations.length = 0;
    b = await devB.launcher.signInNewDevice({ kit, password: PW, deviceName: 'b' });
    expect(derivations).toHaveLength(1);
    expect(await sharesOf(b)).toEqual(['Kanzlei']);
  });

  it('an unlock derives once; a wrong password is still WRONG_PASSWORD after one derivation', async () => {
    await b!.lock();
    b = undefined;
    derivations.length = 0;
    expect(await codeOf(devB.launcher.unlock('wrong password'))).toBe('WRONG_PASSWORD');
    expect(derivations).toHaveLength(1);
    b = await devB.launcher.unlock(PW);
    expect(derivations).toHaveLength(2);
    expect(await sharesOf(b)).toEqual(['Kanzlei']);
  });

  it('a sign-in with a wrong password derives once and is refused as not recognised (SIGN_IN_NOT_RECOGNISED: a wrong password and an unknown id read alike)', async () => {
    derivations.length = 0;
    expect(await codeOf(simDevice('kdf-c', { kdf: recording }).launcher.signInNewDevice({ kit, password: 'wrong password', deviceName: 'c' }))).toBe('SIGN_IN_NOT_RECOGNISED');
    expect(derivations).toHaveLength(1);
  });
});

/**
 * The emergency kit again and the setup code, against the real relay: the kit is shown only for
 * the account's password (WRONG_PASSWORD otherwise, and the same wrong password leaves the vault
 * working), and a new device signs in with the fields parsed from the setup code plus the
 * password and the Secret Key — nothing else.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relayAvailable, startRelay, type RelayProcess } from './helpers/relay.js';
import { simDevice, waitFor } from './helpers/devices.js';
import { formatSetupCode, parseSetupCode } from '../../../core/model/setup-code.js';
import type { EmergencyKit, VaultApi } from '../../../core/vault-api.js';

const PW = 'kit password 2026';
let relay: RelayProcess;
let a: VaultApi;
let kit: EmergencyKit;

beforeAll(async () => {
  if (!relayAvailable) return;
  relay = await startRelay();
  ({ vault: a, kit } = await simDevice('kit-a').launcher.createTeam({ displayName: 'Owner', teamName: 'Firm', relayUrl: relay.url, password: PW, deviceName: 'a' }));
  await a.createShare('Akten');
}, 120_000);
afterAll(async () => {
  await a?.lock();
  await relay?.stop();
});

describe.skipIf(!relayAvailable)('emergency kit and setup code', () => {
  it('shows the kit only after the right password', async () => {
    await expect(a.emergencyKit('not my password')).rejects.toMatchObject({ code: 'WRONG_PASSWORD' });
    expect(await a.emergencyKit(PW)).toEqual(kit);
    expect((await a.listShares()).map((s) => s.name)).toEqual(['Akten']); // keys still usable
  });

  it('signs in a new device from the setup code with password and Secret Key only', async () => {
    const code = formatSetupCode(kit);
    expect(code).not.toContain(kit.secretKey.replace(/-/g, '').slice(2, 12));
    const fields = parseSetupCode(code);
    const b = await simDevice('kit-b').launcher.signInNewDevice({ kit: { ...fields, secretKey: kit.secretKey }, password: PW, deviceName: 'b' });
    await waitFor(b, async () => ((await b.listShares()).length === 1 ? true : undefined), 'share on b');
    await b.lock();
  });
});

/**
 * Blocking an admin end to end: the owner (signed in in the browser) blocks an admin who had
 * made an access code for a guest. The block rotates that code at once: the share panel shows
 * the replacement to hand to the guest, the old link no longer opens the share, the new one
 * does. The admin and guest run the core in Node against the e2e relay (the app has no screen
 * yet for registering a second account in a team).
 */
import { expect, test } from '@playwright/test';
import { ready } from '../../core/crypto/sodium.js';
import { KDF_FLOOR } from '../../core/crypto/kdf.js';
import { isVaultError } from '../../core/errors.js';
import type { VaultApi } from '../../core/vault-api.js';
import { simDevice, synced as nodeSynced } from '../integration/sync/helpers/devices.js';
import { acceptInvitation, addSecondAccount } from '../integration/sync/helpers/second-account.js';
import { itemButton, PASSWORD, signIn, synced } from './helpers.js';
import { RELAY_URL } from './ports.js';
import { shot } from './screens.js';

test('blocking an admin replaces the access code they made; the old link stops working, the new one works', async ({ page }) => {
  await ready();
  const open: VaultApi[] = [];
  try {
    const created = await simDevice(`e2e-block-owner-${Date.now()}`, { kdfCost: KDF_FLOOR }).launcher.createTeam({ relayUrl: RELAY_URL, password: PASSWORD, deviceName: 'owner node', displayName: 'Olga Owner', teamName: 'Kanzlei Block' });
    const owner = created.vault;
    open.push(owner);
    const share = (await owner.createShare('Mandat Schulz')).id;
    await owner.saveNote(share, { title: 'Gutachten', body: 'Entwurf', tags: [] });
    await nodeSynced(owner);
    const adminDev = simDevice(`e2e-block-admin-${Date.now()}`);
    const admin = await addSecondAccount(owner, share, adminDev, 'admin pw', 'editor'); // the admin stays in Node: the test KDF cost, so adminDev itself holds the account
    await owner.setRole(share, admin.account, 'admin');
    // Members show by the name the roster holds for them (never an id).
    const adminName = (await owner.members(share)).find((m) => m.account === admin.account)!.label;
    const adminVault = await adminDev.launcher.unlock('admin pw');
    open.push(adminVault);
    await acceptInvitation(adminVault, share);
    await nodeSynced(adminVault); // membership changes need the relay: online first
    const byAdmin = await adminVault.createAccessCode(share, { label: 'Gutachter', readOnly: true, expiresAt: null });

    await signIn(page, created.kit); // the owner's second device: the browser
    await page.getByRole('navigation', { name: 'Shares' }).getByRole('button', { name: 'Mandat Schulz' }).click();
    await expect(itemButton(page, 'Gutachten')).toBeVisible();
    await synced(page);
    await page.getByRole('button', { name: 'Share settings' }).click();
    await page.getByRole('button', { name: `Block ${adminName}` }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Block' }).click();
    const rotated = page.getByTestId('rotated-after-block');
    await expect(rotated).toContainText('knew 1 access code; it was replaced');
    const newLink = (await rotated.getByTestId('new-access-link').textContent()) ?? '';
    expect(newLink).toContain('truhe://join');
    expect(newLink).not.toBe(byAdmin.link);
    await expect(page.getByTestId('member-row').filter({ hasText: adminName })).toContainText('Blocked');
    await shot(page, 'block-rotated-code');

    const old = await simDevice(`e2e-block-guest-old-${Date.now()}`).launcher.joinWithCode({ link: byAdmin.link }).catch((e: unknown) => e);
    expect(isVaultError(old) ? old.code : String(old)).toMatch(/^(NOT_ALLOWED|CODE_ROTATED)$/);
    const guest = await simDevice(`e2e-block-guest-new-${Date.now()}`).launcher.joinWithCode({ link: newLink });
    open.push(guest);
    expect((await guest.listItems(share)).map((i) => i.title)).toContain('Gutachten');
  } finally {
    for (const v of open) await v.lock().catch(() => undefined);
  }
});

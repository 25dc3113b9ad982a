/**
 * Invitations end to end: an owner (the core running in Node against the e2e relay) adds a
 * second account of the team to a share; that account signs in in the browser with its kit.
 * The share is not listed: the sidebar offers an invitation with the inviter's safety number.
 * Accept → listed and readable. A second invitation, declined → gone, also after a reload and
 * unlock. The owner adds members through the protocol-level test helper because the app has no
 * screen yet for registering a second account in a team.
 */
import { expect, test } from '@playwright/test';
import { ready } from '../../core/crypto/sodium.js';
import { KDF_FLOOR } from '../../core/crypto/kdf.js';
import type { VaultApi } from '../../core/vault-api.js';
import { fingerprintRows } from '../../renderer/screens/share-panel/fingerprint-format.js';
import { simDevice, synced as nodeSynced } from '../integration/sync/helpers/devices.js';
import { addSecondAccount } from '../integration/sync/helpers/second-account.js';
import { itemButton, PASSWORD, signIn } from './helpers.js';
import { RELAY_URL } from './ports.js';
import { shot } from './screens.js';

const OWNER_NAME = 'Olga Owner';

test('a member accepts one invitation after seeing the inviter\'s safety number and declines another', async ({ page }) => {
  await ready();
  let owner: VaultApi | undefined;
  try {
    const created = await simDevice(`e2e-owner-${Date.now()}`).launcher.createTeam({ relayUrl: RELAY_URL, password: 'owner pw', deviceName: 'owner', displayName: OWNER_NAME, teamName: 'Kanzlei Weber' });
    owner = created.vault;
    const share = (await owner.createShare('Mandat Weber')).id;
    await owner.saveNote(share, { title: 'Vollmacht', body: 'unterschrieben', tags: [] });
    await nodeSynced(owner);
    const member = await addSecondAccount(owner, share, simDevice(`e2e-member-${Date.now()}`), PASSWORD, 'editor', KDF_FLOOR);
    const ownerRow = (await owner.members(share)).find((m) => m.role === 'owner')!;

    await signIn(page, { teamId: created.kit.teamId, accountId: member.account, secretKey: member.secretKey });
    const invitations = page.getByRole('region', { name: 'Invitations' });
    await expect(invitations.getByTestId('invitation')).toHaveCount(1, { timeout: 60_000 });
    await expect(invitations).toContainText('added you as Editor');
    const who = OWNER_NAME; // the inviter's name from the verified team roster, not an id
    const fp = page.getByLabel(`Safety number of ${who}`);
    for (const row of fingerprintRows(ownerRow.fingerprint)) await expect(fp).toContainText(row);
    const sidebar = page.getByRole('navigation', { name: 'Shares' });
    await expect(sidebar.getByRole('button', { name: 'Mandat Weber' })).toHaveCount(0);
    await shot(page, 'invitation');

    await invitations.getByRole('button', { name: `Accept (${who})` }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Mandat Weber' })).toBeVisible();
    await expect(itemButton(page, 'Vollmacht')).toBeVisible();
    await expect(invitations).toHaveCount(0);

    // a second invitation arrives live; declined, it stays gone after a reload and unlock
    const share2 = (await owner.createShare('Fremdmandat')).id;
    await nodeSynced(owner);
    await owner.addMember(share2, member.account, 'viewer');
    await expect(invitations.getByTestId('invitation')).toHaveCount(1);
    await expect(invitations).toContainText('added you as Viewer');
    await invitations.getByRole('button', { name: `Decline (${who})` }).click();
    await expect(invitations).toHaveCount(0);
    await page.reload();
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Mandat Weber' })).toBeVisible();
    await expect(page.getByRole('status', { name: 'Sync status' })).toHaveAttribute('data-connection', 'online');
    await expect(page.getByRole('status', { name: 'Sync status' })).toHaveAttribute('data-pending', '0');
    await expect(invitations).toHaveCount(0);
    await expect(sidebar.getByRole('listitem')).toHaveCount(1);
  } finally {
    await owner?.lock();
  }
});

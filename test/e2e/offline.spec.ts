/**
 * Offline first, with R10: a second device of the owner signs in with the emergency kit and
 * sees everything; the first device edits a note while offline (the change waits in the
 * outbox), goes back online, and the edit appears on the second device.
 */
import { expect, test, type Page } from '@playwright/test';
import { recordNetwork } from './audit.js';
import { addNote, createShare, createTeam, itemButton, PASSWORD, synced, type Kit } from './helpers.js';
import { appUrl } from './ports.js';
import { shot } from './screens.js';

async function signIn(page: Page, kit: Kit): Promise<void> {
  await page.goto(appUrl());
  await page.getByRole('button', { name: /Sign in on a new device/ }).click();
  await page.getByLabel('Team id').fill(kit.teamId);
  await page.getByLabel('Account id').fill(kit.accountId);
  await page.getByLabel('Secret Key').fill(kit.secretKey);
  await page.getByLabel('Password').fill(PASSWORD);
  await shot(page, 'sign-in');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

test('an edit made offline syncs to the second device when back online', async ({ browser }) => {
  const aCtx = await browser.newContext();
  const bCtx = await browser.newContext();
  const aNet = recordNetwork(aCtx);
  const bNet = recordNetwork(bCtx);
  const a = await aCtx.newPage();
  const b = await bCtx.newPage();

  const kit = await createTeam(a);
  await createShare(a, 'Steuerakte 2026');
  await addNote(a, 'Belege', 'Stand: Januar');
  await synced(a);

  await signIn(b, kit);
  await expect(itemButton(b, 'Belege')).toBeVisible();
  await itemButton(b, 'Belege').click();
  await expect(b.getByRole('textbox', { name: 'Note', exact: true })).toHaveValue('Stand: Januar');

  await aCtx.setOffline(true);
  const status = a.getByRole('status', { name: 'Sync status' });
  // the machine is offline: the status says so (not "Connecting…" while the engine's attempts are held)
  await expect(status).toHaveAttribute('data-connection', 'offline');
  await expect(status).toContainText('Offline');
  await expect(status).not.toContainText('Connecting');
  await a.getByRole('textbox', { name: 'Note', exact: true }).fill('Stand: Februar, im Zug bearbeitet');
  await expect(a.locator('[data-save-state="saved"]')).toBeVisible();
  await expect(status).not.toHaveAttribute('data-pending', '0');
  await shot(a, 'offline-pending');
  await expect(b.getByRole('textbox', { name: 'Note', exact: true })).toHaveValue('Stand: Januar');

  await aCtx.setOffline(false);
  await synced(a);
  await expect(b.getByRole('textbox', { name: 'Note', exact: true })).toHaveValue('Stand: Februar, im Zug bearbeitet');

  expect(aNet.foreign()).toEqual([]);
  expect(bNet.foreign()).toEqual([]);
  await aCtx.close();
  await bCtx.close();
});

/**
 * R3: after the idle timeout the vault locks and the page holds no item text; unlocking needs
 * the password (a wrong one is answered in words). The timeout is shortened for the test with
 * `?lockIdleSeconds=` (which can only ever make the app lock sooner).
 */
import { expect, test } from '@playwright/test';
import { addNote, createShare, createTeam, itemButton, PASSWORD, synced } from './helpers.js';
import { shot } from './screens.js';

test('the vault locks after the idle timeout and the DOM keeps no item text', async ({ page }) => {
  await createTeam(page, '&lockIdleSeconds=4');
  await createShare(page, 'Personalakten');
  await addNote(page, 'Kündigung Schmidt', 'Abfindung: drei Monatsgehälter');
  await synced(page);

  // No input from here on: the idle lock must fire by itself.
  await expect(page.getByRole('heading', { name: 'Unlock Truhe' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText('Locked after a period without activity.')).toBeVisible();
  const html = await page.content();
  for (const secret of ['Kündigung Schmidt', 'Abfindung', 'Personalakten']) expect(html).not.toContain(secret);
  await shot(page, 'unlock');

  await page.getByLabel('Password').fill('not my password');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('alert')).toHaveText('Wrong password. Please try again.');

  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(itemButton(page, 'Kündigung Schmidt')).toBeVisible();
});

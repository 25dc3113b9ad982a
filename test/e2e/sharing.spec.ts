/**
 * R1 end to end: the owner shares a note and a file through an access code; a guest (second
 * browser context, no account) joins and reads both; the owner rotates the code; the guest's
 * screen says "Access code was rotated", no item content remains, and the old code is refused.
 */
import { expect, test, type Page } from '@playwright/test';
import { recordNetwork } from './audit.js';
import { addNote, createShare, createTeam, itemButton, synced } from './helpers.js';
import { appUrl } from './ports.js';
import { shot } from './screens.js';

const NOTE_TITLE = 'Erstgespräch Müller';
const NOTE_BODY = 'Vertraulich: Vergleichsangebot 42.000 EUR';
const FILE_NAME = 'Gutachten.txt';
const FILE_TEXT = 'Streng vertraulich: Inhalt des Gutachtens';

async function addTextFile(page: Page): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Add files…' }).click();
  await (await chooser).setFiles({ name: FILE_NAME, mimeType: 'text/plain', buffer: Buffer.from(FILE_TEXT) });
  await expect(itemButton(page, FILE_NAME)).toBeVisible();
}

async function createCode(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Share settings' }).click();
  await page.getByLabel('Label (e.g. the guest’s firm)').fill('Kanzlei Gast');
  await page.getByRole('button', { name: 'Create access code' }).click();
  const link = page.getByTestId('new-access-link');
  await expect(link).toContainText('truhe://join');
  await shot(page, 'share-panel');
  return (await link.textContent()) ?? '';
}

async function join(page: Page, link: string): Promise<void> {
  await page.goto(appUrl());
  await page.getByRole('button', { name: /Join with a link or code/ }).click();
  await page.getByLabel('Share link').fill(link);
  await page.getByRole('button', { name: 'Join', exact: true }).click();
}

test('a guest joins with a code, reads note and file, and loses everything when the code is rotated', async ({ browser }) => {
  const ownerCtx = await browser.newContext();
  const guestCtx = await browser.newContext();
  const ownerNet = recordNetwork(ownerCtx);
  const guestNet = recordNetwork(guestCtx);
  const owner = await ownerCtx.newPage();
  const guest = await guestCtx.newPage();

  await createTeam(owner);
  await createShare(owner, 'Mandat Müller');
  await addNote(owner, NOTE_TITLE, NOTE_BODY);
  await addTextFile(owner);
  await synced(owner);
  await shot(owner, 'vault');
  const link = await createCode(owner);

  await join(guest, link);
  await expect(itemButton(guest, NOTE_TITLE)).toBeVisible();
  await expect(itemButton(guest, FILE_NAME)).toBeVisible();
  await itemButton(guest, NOTE_TITLE).click();
  await expect(guest.getByRole('textbox', { name: 'Note', exact: true })).toHaveValue(NOTE_BODY);
  await itemButton(guest, FILE_NAME).click();
  await guest.getByRole('button', { name: 'Preview' }).click();
  await expect(guest.getByRole('dialog')).toContainText(FILE_TEXT);
  await shot(guest, 'guest-preview');
  await guest.keyboard.press('Escape');
  await expect(guest.getByRole('dialog')).toHaveCount(0);

  await owner.getByRole('button', { name: 'Rotate Kanzlei Gast' }).click();
  await owner.getByRole('alertdialog').getByRole('button', { name: 'Rotate' }).click();
  await expect(owner.getByTestId('new-access-link')).not.toHaveText(link);

  await expect(guest.getByText('Access code was rotated')).toBeVisible();
  await shot(guest, 'guest-rotated');
  const guestText = await guest.locator('body').innerText();
  for (const secret of [NOTE_TITLE, NOTE_BODY, FILE_NAME, FILE_TEXT]) expect(guestText).not.toContain(secret);

  await guest.getByRole('button', { name: 'Back to start' }).click();
  await guest.getByRole('button', { name: /Join with a link or code/ }).click();
  await guest.getByLabel('Share link').fill(link);
  await guest.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(guest.getByRole('alert')).toHaveAttribute('data-error-code', /CODE_(ROTATED|INVALID|REVOKED)/);
  await expect(guest.locator('body')).not.toContainText(NOTE_TITLE);

  expect(ownerNet.foreign()).toEqual([]);
  expect(guestNet.foreign()).toEqual([]);
  expect(ownerNet.urls.length).toBeGreaterThan(0);
  await ownerCtx.close();
  await guestCtx.close();
});

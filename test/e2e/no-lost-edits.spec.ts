/**
 * Issue 14: no edit is ever lost, tried as a user would in real Chromium.
 *   1. type in note X, click "New note" within the 600 ms autosave pause, type a title and body:
 *      both notes keep their own text;
 *   2. type, click Lock, unlock: the text is there;
 *   3. device B edits a line offline, device A edits the same line online, B reconnects: both
 *      devices list the note (A's text) and a conflicted copy (B's text), and B is told.
 */
import { expect, test, type Page } from '@playwright/test';
import { addNote, createShare, createTeam, itemButton, PASSWORD, signIn, synced } from './helpers.js';

const bodyBox = (p: Page) => p.getByRole('textbox', { name: 'Note', exact: true });
const titleBox = (p: Page) => p.getByRole('textbox', { name: 'Title', exact: true });
const items = (p: Page) => p.getByRole('region', { name: 'Items' }).getByRole('button');

/** Opens the listed item whose name matches `name` and returns its body once its title is shown. */
async function bodyOf(p: Page, name: RegExp, title: string | RegExp): Promise<string> {
  await p.getByRole('region', { name: 'Items' }).getByRole('button', { name }).click();
  await expect(titleBox(p)).toHaveValue(title);
  await expect(p.locator('[data-save-state="saved"]')).toBeVisible();
  return bodyBox(p).inputValue();
}

test('"New note" within the autosave pause: both notes keep their own text', async ({ page }) => {
  await createTeam(page);
  await createShare(page, 'Mandanten');
  await addNote(page, 'Mandant Meier', 'Erstgespräch');

  await bodyBox(page).fill('Erstgespräch am Montag, Vollmacht liegt vor');
  await expect(page.locator('[data-save-state="dirty"]')).toBeVisible(); // still inside the pause
  await page.getByRole('button', { name: 'New note' }).click();
  await titleBox(page).fill('Mandant Schulz');
  await bodyBox(page).fill('Neue Akte angelegt');
  await expect(page.locator('[data-save-state="saved"]')).toBeVisible();
  await synced(page);

  await expect(items(page)).toHaveCount(2);
  await expect(itemButton(page, 'Mandant Meier')).toBeVisible();
  await expect(itemButton(page, 'Mandant Schulz')).toBeVisible();
  expect(await bodyOf(page, /Mandant Meier/, 'Mandant Meier')).toBe('Erstgespräch am Montag, Vollmacht liegt vor');
  expect(await bodyOf(page, /Mandant Schulz/, 'Mandant Schulz')).toBe('Neue Akte angelegt');
});

test('Lock right after typing keeps the text', async ({ page }) => {
  await createTeam(page);
  await createShare(page, 'Personal');
  await addNote(page, 'Urlaubsplan', 'Juli: Team A');

  await bodyBox(page).fill('Juli: Team A\nAugust: Team B');
  await expect(page.locator('[data-save-state="dirty"]')).toBeVisible();
  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Unlock Truhe' })).toBeVisible();
  expect(await page.content()).not.toContain('August: Team B');

  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Unlock' }).click();
  expect(await bodyOf(page, /Urlaubsplan/, 'Urlaubsplan')).toBe('Juli: Team A\nAugust: Team B');
  await expect(items(page)).toHaveCount(1);
});

test('same-line edit, one device offline: a conflicted copy on both devices, with a notice', async ({ browser }) => {
  const aCtx = await browser.newContext();
  const bCtx = await browser.newContext();
  const a = await aCtx.newPage();
  const b = await bCtx.newPage();
  const kit = await createTeam(a);
  await createShare(a, 'Termine');
  await addNote(a, 'Besprechung', 'Ort: Büro\nZeit: 10 Uhr\nThema: Vertrag');
  await synced(a);

  await signIn(b, kit);
  await expect(itemButton(b, 'Besprechung')).toBeVisible();
  expect(await bodyOf(b, /Besprechung/, 'Besprechung')).toBe('Ort: Büro\nZeit: 10 Uhr\nThema: Vertrag');
  await itemButton(a, 'Besprechung').click();
  await expect(bodyBox(a)).toHaveValue('Ort: Büro\nZeit: 10 Uhr\nThema: Vertrag');

  await bCtx.setOffline(true);
  await expect(b.getByRole('status', { name: 'Sync status' })).toHaveAttribute('data-connection', /offline|connecting/);
  await bodyBox(b).fill('Ort: Büro\nZeit: 14 Uhr (B, im Zug)\nThema: Vertrag');
  await expect(b.locator('[data-save-state="saved"]')).toBeVisible();
  await expect(b.getByRole('status', { name: 'Sync status' })).not.toHaveAttribute('data-pending', '0');

  await bodyBox(a).fill('Ort: Büro\nZeit: 9 Uhr (A)\nThema: Vertrag');
  await expect(a.locator('[data-save-state="saved"]')).toBeVisible();
  await synced(a);

  await bCtx.setOffline(false);
  await synced(b);

  for (const p of [a, b]) {
    await expect(items(p)).toHaveCount(2);
    const copy = p.getByRole('region', { name: 'Items' }).getByRole('button', { name: /Besprechung \(conflicted copy / });
    await expect(copy).toBeVisible();
    expect(await bodyOf(p, /Besprechung \(conflicted copy /, /^Besprechung \(conflicted copy \d{4}-\d\d-\d\d \d\d:\d\d\)$/)).toBe('Ort: Büro\nZeit: 14 Uhr (B, im Zug)\nThema: Vertrag');
    expect(await bodyOf(p, /Besprechung(?! \(conflicted)/, 'Besprechung')).toBe('Ort: Büro\nZeit: 9 Uhr (A)\nThema: Vertrag');
  }
  await expect(b.getByRole('alert')).toHaveAttribute('data-error-code', 'CONFLICT_COPY');
  await aCtx.close();
  await bCtx.close();
});

test('a failed team action keeps its error on screen until dismissed, through the list reload after it', async ({ page, context }) => {
  await createTeam(page);
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Team' }).click();
  const invite = page.getByRole('region', { name: 'Invite a colleague' });
  await context.setOffline(true); // team changes need the relay: the action fails with RELAY_UNREACHABLE
  await expect(page.getByRole('status', { name: 'Sync status' })).toHaveAttribute('data-connection', /offline|connecting/);
  await invite.getByRole('button', { name: 'Create invitation' }).click();
  const error = invite.getByRole('alert');
  await expect(error).toBeVisible();
  await expect(error).toHaveAttribute('data-error-code', 'RELAY_UNREACHABLE');
  await context.setOffline(false);
  await expect(page.getByRole('status', { name: 'Sync status' })).toHaveAttribute('data-connection', 'online');
  await expect(error).toBeVisible(); // back online and the list reloaded: the error is still there
  await error.getByRole('button', { name: 'Dismiss message' }).click();
  await expect(invite.getByRole('alert')).toHaveCount(0);
});

/**
 * The design system and app shell (issue 17, part A): an empty vault offers "New note" (its first
 * share is created for it); item counts per share and per list; favourites (starred on this
 * device, sealed in IndexedDB, kept across a lock) and their filter; delete asks in the app's one
 * dialog (Escape cancels, focus stays inside, the named button deletes; never window.confirm);
 * Lock is reachable while a preview is open and with Ctrl+L; every password field has a
 * show/hide toggle. Screens for the README are written in light and dark (docs/screens/).
 */
import { expect, test, type Page } from '@playwright/test';
import { addNote, createShare, createTeam, itemButton, PASSWORD, synced } from './helpers.js';
import { pdfOf } from './pdf-fixture.js';

const sidebarCount = (page: Page, share: string) =>
  page.getByRole('navigation', { name: 'Shares' }).getByRole('button', { name: share }).getByTestId('share-count');

/** Writes docs/screens/<name>.png in light and <name>-dark.png in dark mode. */
async function readmeShots(page: Page, name: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: `docs/screens/${scheme === 'light' ? name : `${name}-dark`}.png` });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** Every IndexedDB row of the favourites table, as the bytes stored, and every item id in the records table. */
async function storedFavourites(page: Page): Promise<{ rows: number[][]; itemIds: string[] }> {
  return page.evaluate(async () => {
    const all = (db: IDBDatabase, table: string) => new Promise<unknown[]>((resolve, reject) => {
      const req = db.transaction(table).objectStore(table).getAll();
      req.onsuccess = () => resolve(req.result as unknown[]);
      req.onerror = () => reject(req.error);
    });
    for (const info of await indexedDB.databases()) {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const req = indexedDB.open(info.name!);
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      try {
        if (!db.objectStoreNames.contains('favourites')) continue;
        const rows = (await all(db, 'favourites')) as { sealed: Uint8Array }[];
        const records = (await all(db, 'records')) as { item: string }[];
        return { rows: rows.map((r) => [...r.sealed]), itemIds: records.map((r) => r.item) };
      } finally {
        db.close();
      }
    }
    return { rows: [], itemIds: [] };
  });
}

test.beforeEach(({ page }) => {
  // The app never uses the browser's own confirm/alert for its own questions.
  page.on('dialog', (d) => {
    throw new Error(`unexpected browser dialog: ${d.message()}`);
  });
});

test('empty vault → "New note", counts, favourites filter, delete through the app dialog', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await createTeam(page);
  const empty = page.getByTestId('empty-vault');
  await expect(empty).toContainText('Your vault is empty');
  await readmeShots(page, 'empty-vault');
  await empty.getByRole('button', { name: 'New note' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'My notes' })).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Title', exact: true })).toBeFocused();
  await page.getByRole('textbox', { name: 'Title', exact: true }).fill('Satzung');
  await page.getByRole('textbox', { name: 'Note', exact: true }).fill('§1 Name und Sitz');
  await expect(page.locator('[data-save-state="saved"]')).toBeVisible();
  await expect(itemButton(page, 'Satzung')).toBeVisible();
  await expect(sidebarCount(page, 'My notes')).toHaveAttribute('data-count', '1');

  await addNote(page, 'Vollmacht', 'Hiermit bevollmächtige ich');
  await addNote(page, 'Handelsregister', 'HRB 4711');
  await expect(sidebarCount(page, 'My notes')).toHaveAttribute('data-count', '3');
  await expect(sidebarCount(page, 'My notes')).toContainText('3 items');
  await expect(page.getByTestId('item-count')).toHaveText('3 items');

  // A second, empty share: its own count, and an empty state with the next action.
  await createShare(page, 'Mandat Schulz');
  await expect(page.getByTestId('empty-share')).toContainText('Nothing in this share yet');
  await expect(sidebarCount(page, 'Mandat Schulz')).toHaveAttribute('data-count', '0');
  await page.getByTestId('empty-share').getByRole('button', { name: 'Write the first note' }).click();
  await page.getByRole('textbox', { name: 'Title', exact: true }).fill('Erstgespräch');
  await expect(page.locator('[data-save-state="saved"]')).toBeVisible();
  await expect(sidebarCount(page, 'Mandat Schulz')).toHaveAttribute('data-count', '1');
  await expect(sidebarCount(page, 'My notes')).toHaveAttribute('data-count', '3');
  await page.getByRole('navigation', { name: 'Shares' }).getByRole('button', { name: 'My notes' }).click();

  // Favourites: star one item; the filter shows only it; the star survives a lock.
  await itemButton(page, 'Satzung').click();
  const star = page.getByRole('button', { name: 'Favourite', exact: true });
  await expect(star).toHaveAttribute('aria-pressed', 'false');
  await star.click();
  await expect(star).toHaveAttribute('aria-pressed', 'true');
  await expect(itemButton(page, 'Satzung').getByTestId('fav-mark')).toBeVisible();
  await expect(itemButton(page, 'Vollmacht').getByTestId('fav-mark')).toHaveCount(0);
  const favOnly = page.getByRole('checkbox', { name: 'Favourites only' });
  await favOnly.check();
  await expect(favOnly).toBeChecked();
  await expect(page.getByTestId('item-count')).toHaveText('1 of 3 items');
  await expect(itemButton(page, 'Vollmacht')).toHaveCount(0);
  await expect(itemButton(page, 'Satzung')).toBeVisible();
  await favOnly.uncheck();
  await expect(page.getByTestId('item-count')).toHaveText('3 items');
  await itemButton(page, 'Vollmacht').click();
  await readmeShots(page, 'vault');

  // Stored sealed: one row, and no item id appears in it as text.
  await expect.poll(async () => (await storedFavourites(page)).rows.length).toBe(1);
  const stored = await storedFavourites(page);
  const sealedText = String.fromCharCode(...stored.rows[0]!);
  expect(stored.itemIds.length).toBeGreaterThanOrEqual(4);
  for (const id of stored.itemIds) expect(sealedText).not.toContain(id);
  expect(sealedText).not.toContain('items');

  await synced(page);
  await page.keyboard.press('Control+l');
  await expect(page.getByRole('heading', { name: 'Unlock Truhe' })).toBeVisible();
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Unlock', exact: true }).click();
  // Which share opens first after unlock is the store's order: open "My notes" explicitly.
  await page.getByRole('navigation', { name: 'Shares' }).getByRole('button', { name: 'My notes' }).click();
  await expect(itemButton(page, 'Satzung').getByTestId('fav-mark')).toBeVisible();
  await favOnly.check();
  await expect(page.getByTestId('item-count')).toHaveText('1 of 3 items');
  await favOnly.uncheck();

  // Delete asks in the app's dialog: Escape cancels, Tab stays inside, "Delete" deletes.
  await itemButton(page, 'Vollmacht').click();
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  const dialog = page.getByRole('alertdialog', { name: 'Delete “Vollmacht”?' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await readmeShots(page, 'delete-dialog');
  for (let i = 0; i < 5; i++) {
    await page.keyboard.press('Tab');
    expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
  }
  await page.keyboard.press('Shift+Tab');
  expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(itemButton(page, 'Vollmacht')).toBeVisible();
  await expect(page.getByTestId('item-count')).toHaveText('3 items');

  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(itemButton(page, 'Vollmacht')).toBeVisible();

  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(dialog).toHaveCount(0);
  await expect(itemButton(page, 'Vollmacht')).toHaveCount(0);
  await expect(page.getByTestId('item-count')).toHaveText('2 items');
  await expect(sidebarCount(page, 'My notes')).toHaveAttribute('data-count', '2');

  // Admin pages for the README: Share settings in sections.
  await page.getByRole('button', { name: 'Share settings' }).click();
  await expect(page.getByRole('heading', { level: 2, name: /Share settings/ })).toBeVisible();
  const title = await page.getByRole('heading', { level: 2, name: /Share settings/ }).evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
  const section = await page.getByRole('heading', { level: 3 }).first().evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
  expect(title).toBeGreaterThan(section);
  await readmeShots(page, 'share-settings');
});

test('Lock from a preview (toolbar button) and by Ctrl+L; every password field shows and hides', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('about:blank');
  await createTeam(page);
  await createShare(page, 'Akten');
  const drop = await page.evaluateHandle(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(['Vertraulich: Aktenzeichen 12/345'], 'Aktenvermerk.txt', { type: 'text/plain' }));
    return dt;
  }, undefined);
  await page.locator('main.share-view').dispatchEvent('drop', { dataTransfer: drop });

  // An A4 PDF page fits inside the preview dialog, its page controls in one row.
  const pdfDrop = await page.evaluateHandle((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'Vollmacht.pdf', { type: 'application/pdf' }));
    return dt;
  }, pdfOf('Vollmacht'));
  await page.locator('main.share-view').dispatchEvent('drop', { dataTransfer: pdfDrop });
  await itemButton(page, 'Vollmacht.pdf').click();
  await page.getByRole('button', { name: 'Preview', exact: true }).click();
  const pdfDialog = page.getByRole('dialog', { name: /Vollmacht\.pdf/ });
  await expect(pdfDialog).toContainText('Page 1 of 1');
  const canvas = pdfDialog.getByRole('img', { name: 'Vollmacht.pdf' });
  await expect.poll(async () => (await canvas.boundingBox())?.height ?? 0).toBeGreaterThan(200);
  const [box, page1, prev, next] = await Promise.all([pdfDialog.boundingBox(), canvas.boundingBox(), pdfDialog.getByRole('button', { name: 'Previous page' }).boundingBox(), pdfDialog.getByRole('button', { name: 'Next page' }).boundingBox()]);
  expect(page1!.y + page1!.height).toBeLessThanOrEqual(box!.y + box!.height);
  expect(page1!.x + page1!.width).toBeLessThanOrEqual(box!.x + box!.width);
  expect(Math.abs(prev!.y - next!.y)).toBeLessThan(2);
  expect(next!.x - (prev!.x + prev!.width)).toBeGreaterThan(40);
  await readmeShots(page, 'preview');
  await page.keyboard.press('Escape');
  await expect(pdfDialog).toHaveCount(0);

  await itemButton(page, 'Aktenvermerk.txt').click();
  await page.getByRole('button', { name: 'Preview', exact: true }).click();
  const preview = page.getByRole('dialog', { name: /Aktenvermerk/ });
  await expect(preview).toContainText('Aktenzeichen 12/345');

  // The toolbar's Lock is not covered by the preview.
  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Unlock Truhe' })).toBeVisible();
  await expect(page.getByText('Aktenzeichen 12/345')).toHaveCount(0);

  // Show-password on the unlock screen.
  const field = page.getByLabel('Password', { exact: true });
  await field.fill(PASSWORD);
  await expect(field).toHaveAttribute('type', 'password');
  await page.getByRole('button', { name: 'Show password' }).click();
  await expect(field).toHaveAttribute('type', 'text');
  await expect(field).toHaveValue(PASSWORD);
  await expect(page.getByRole('button', { name: 'Hide password' })).toHaveAttribute('aria-pressed', 'true');
  await page.getByRole('button', { name: 'Hide password' }).click();
  await expect(field).toHaveAttribute('type', 'password');
  await page.getByRole('button', { name: 'Unlock', exact: true }).click();
  await expect(page.getByRole('status', { name: 'Sync status' })).toContainText('Online');

  // Ctrl+L with the preview open, the focus inside it.
  await itemButton(page, 'Aktenvermerk.txt').click();
  await page.getByRole('button', { name: 'Preview', exact: true }).click();
  await expect(preview).toBeVisible();
  await expect(preview.getByRole('button', { name: 'Close preview' })).toBeFocused();
  await page.keyboard.press('Control+l');
  await expect(page.getByRole('heading', { name: 'Unlock Truhe' })).toBeVisible();
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status', { name: 'Sync status' })).toContainText('Online');

  // Every password field of the app has its toggle: Account (three) …
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Account' }).click();
  for (const label of ['Current password', 'New password', 'Repeat new password']) {
    const input = page.getByLabel(label, { exact: true });
    await expect(input).toHaveAttribute('type', 'password');
    await input.locator('xpath=ancestor::div[contains(@class,"password-field")]').getByRole('button', { name: 'Show password' }).click();
    await expect(input).toHaveAttribute('type', 'text');
  }
  // … and the create-team and sign-in screens.
  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  await page.getByRole('button', { name: 'Other ways to start' }).click();
  await page.getByRole('button', { name: /Create a team/ }).click();
  await expect(page.getByRole('button', { name: 'Show password' })).toHaveCount(2);
  await page.getByRole('button', { name: 'Back' }).click();
  await page.getByRole('button', { name: /Sign in on a new device/ }).click();
  await expect(page.getByRole('button', { name: 'Show password' })).toHaveCount(1);
});

/**
 * Issue 17, files and versions, in Chromium against a real relay: "Replace with new version…"
 * keeps one item whose preview shows the new content and whose history holds both versions; an
 * older file version is previewed, then restored; importing a name that already exists asks
 * (keep both → a distinct name, replace → still one item, cancel → nothing, one answer for all);
 * a note version is shown with its differences to the current text before it is restored.
 */
import { deflateSync } from 'node:zlib';
import { expect, test, type Page } from '@playwright/test';
import { addNote, createShare, createTeam, itemButton } from './helpers.js';
import { shot } from './screens.js';

type Pick = { name: string; text: string };

/** A grey PNG of `w`×`h` pixels (its size tells two versions apart in the preview). */
function png(w: number, h: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; return c >>> 0; });
  const crc = (b: Buffer) => { let c = 0xffffffff; for (const x of b) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const c = Buffer.alloc(4); c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(h, 4); ihdr[8] = 8; ihdr[9] = 0; // 8-bit greyscale
  const raw = Buffer.concat(Array.from({ length: h }, () => Buffer.concat([Buffer.from([0]), Buffer.alloc(w, 0x80)])));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

async function pickFiles(page: Page, button: string, files: Pick[]): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: button }).click();
  await (await chooser).setFiles(files.map((f) => ({ name: f.name, mimeType: 'text/plain', buffer: Buffer.from(f.text) })));
}

async function dropFiles(page: Page, files: Pick[]): Promise<void> {
  const dt = await page.evaluateHandle((list) => {
    const d = new DataTransfer();
    for (const f of list) d.items.add(new File([f.text], f.name, { type: 'text/plain' }));
    return d;
  }, files);
  await page.locator('main.share-view').dispatchEvent('drop', { dataTransfer: dt });
}

const count = (page: Page) => page.getByTestId('item-count');
const clash = (page: Page) => page.getByRole('alertdialog', { name: 'A file with this name already exists' });

async function previewText(page: Page, title: string): Promise<string> {
  await itemButton(page, title).first().click();
  await page.getByRole('button', { name: 'Preview' }).click();
  const text = (await page.locator('.dialog.preview .text-preview').textContent()) ?? '';
  await page.getByRole('button', { name: 'Close preview' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  return text;
}

test('replace with a new version: one item, the preview shows the new content, history holds both and restores the old one', async ({ page }) => {
  await createTeam(page);
  await createShare(page, 'Akten');
  await pickFiles(page, 'Add files…', [{ name: 'brief.txt', text: 'Erste Fassung' }]);
  await expect(itemButton(page, 'brief.txt')).toBeVisible();
  expect(await previewText(page, 'brief.txt')).toBe('Erste Fassung');

  await pickFiles(page, 'Replace with new version…', [{ name: 'brief-neu.txt', text: 'Zweite, längere Fassung' }]);
  await expect(page.locator('.file-view')).toHaveAttribute('data-version', '2');
  await expect(page.locator('.file-view')).toContainText('24 B');
  await expect(count(page)).toHaveAttribute('data-total', '1');
  await expect(page.locator('.file-view h2')).toHaveText('brief.txt'); // the item keeps its name
  expect(await previewText(page, 'brief.txt')).toBe('Zweite, längere Fassung');

  await page.getByRole('button', { name: 'Version history' }).click();
  const history = page.getByRole('dialog', { name: 'Versions' });
  await expect(history.getByRole('button', { name: /^View version/ })).toHaveCount(2);
  await history.getByRole('button', { name: 'View version 1' }).click();
  await expect(history.locator('.text-preview')).toHaveText('Erste Fassung');
  await shot(page, 'file-version-preview');
  await history.getByRole('button', { name: 'Restore this version' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.locator('.file-view')).toContainText('13 B');
  expect(await previewText(page, 'brief.txt')).toBe('Erste Fassung');
  await page.getByRole('button', { name: 'Version history' }).click();
  await expect(history.getByRole('button', { name: /^View version/ })).toHaveCount(3);
  await history.getByRole('button', { name: 'View version 2' }).click();
  await expect(history.locator('.text-preview')).toHaveText('Zweite, längere Fassung');
  await expect(history.getByRole('button', { name: 'Restore this version' })).toBeVisible();
  await history.getByRole('button', { name: 'Back to versions' }).click();
  await history.getByRole('button', { name: 'View version 3' }).click();
  await expect(history.getByRole('button', { name: 'Restore this version' })).toHaveCount(0); // the current one
});

test('a same-name import asks: keep both gets a distinct name, replace keeps one item, cancel imports nothing, one answer for all', async ({ page }) => {
  await createTeam(page);
  await createShare(page, 'Berichte');
  await pickFiles(page, 'Add files…', [{ name: 'bericht.txt', text: 'A' }]);
  await expect(count(page)).toHaveAttribute('data-total', '1');

  await pickFiles(page, 'Add files…', [{ name: 'bericht.txt', text: 'B' }]);
  await expect(clash(page)).toContainText('“bericht.txt” is already in this share');
  await shot(page, 'same-name-import');
  await clash(page).getByRole('button', { name: 'Keep both' }).click();
  await expect(itemButton(page, 'bericht \\(2\\)\\.txt')).toBeVisible();
  await expect(count(page)).toHaveAttribute('data-total', '2');
  expect(await previewText(page, 'bericht \\(2\\)\\.txt')).toBe('B');

  await pickFiles(page, 'Add files…', [{ name: 'bericht.txt', text: 'C' }]);
  await clash(page).getByRole('button', { name: 'Replace with new version' }).click();
  await expect(clash(page)).toHaveCount(0);
  await itemButton(page, 'bericht\\.txt').click();
  await expect(page.locator('.file-view h2')).toHaveText('bericht.txt');
  await expect(page.locator('.file-view')).toHaveAttribute('data-version', '2');
  await page.getByRole('button', { name: 'Version history' }).click();
  await expect(page.getByRole('dialog', { name: 'Versions' }).getByRole('button', { name: /^View version/ })).toHaveCount(2);
  await page.keyboard.press('Escape');
  await expect(count(page)).toHaveAttribute('data-total', '2');
  expect(await previewText(page, 'bericht\\.txt')).toBe('C');

  await pickFiles(page, 'Add files…', [{ name: 'bericht.txt', text: 'D' }]);
  await clash(page).getByRole('button', { name: 'Cancel' }).click();
  await expect(clash(page)).toHaveCount(0);
  await expect(count(page)).toHaveAttribute('data-total', '2');

  // Several files at once, two of them clashing: asked once, "the same for the other file".
  await dropFiles(page, [{ name: 'neu.txt', text: 'N' }, { name: 'bericht.txt', text: 'E' }, { name: 'bericht (2).txt', text: 'F' }]);
  await expect(clash(page)).toContainText('“bericht.txt”');
  await clash(page).getByLabel('Do the same for the other file with a name already in this share').check();
  await clash(page).getByRole('button', { name: 'Keep both' }).click();
  await expect(clash(page)).toHaveCount(0);
  await expect(count(page)).toHaveAttribute('data-total', '5');
  for (const name of ['neu\\.txt', 'bericht \\(3\\)\\.txt', 'bericht \\(4\\)\\.txt']) await expect(itemButton(page, name)).toBeVisible();
  expect(await previewText(page, 'bericht \\(3\\)\\.txt')).toBe('E');
  expect(await previewText(page, 'bericht \\(4\\)\\.txt')).toBe('F');
});

test('a note version is shown with its differences to the current text before it is restored', async ({ page }) => {
  await createTeam(page);
  await createShare(page, 'Notizen');
  await addNote(page, 'Fristen', 'eins\nzwei');
  await page.getByRole('textbox', { name: 'Note', exact: true }).fill('eins\nZWEI\ndrei');
  await expect(page.locator('[data-save-state="saved"]')).toBeVisible();
  await page.getByRole('button', { name: 'Version history' }).click();
  const history = page.getByRole('dialog', { name: 'Versions' });
  const views = history.getByRole('button', { name: /^View version/ });
  await expect(views.nth(1)).toBeVisible(); // the list is shown whole
  const versions = await views.count(); // the title may have been saved on its own first
  await views.nth(1).click(); // newest first: the version before the current one
  await expect(history.getByLabel(`Text of version ${versions - 1}`)).toHaveText('eins\nzwei');
  const diff = history.getByRole('region', { name: 'Changes from this version to the current one' });
  await expect(diff.locator('.diff-removed')).toHaveText(['− removed: zwei']);
  await expect(diff.locator('.diff-added')).toHaveText(['+ added: ZWEI', '+ added: drei']);
  await shot(page, 'note-version-diff');
  await history.getByRole('button', { name: 'Back to versions' }).click();
  await expect(views).toHaveCount(versions);
  await views.nth(1).click();
  await history.getByRole('button', { name: 'Restore this version' }).click();
  await expect(page.getByRole('textbox', { name: 'Note', exact: true })).toHaveValue('eins\nzwei');
});

test('an older image version is previewed in the history as that image', async ({ page }) => {
  await createTeam(page);
  await createShare(page, 'Bilder');
  const add = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Add files…' }).click();
  await (await add).setFiles({ name: 'plan.png', mimeType: 'image/png', buffer: png(3, 2) });
  await itemButton(page, 'plan.png').click();
  const replace = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Replace with new version…' }).click();
  await (await replace).setFiles({ name: 'plan.png', mimeType: 'image/png', buffer: png(7, 5) });
  await expect(page.locator('.file-view')).toHaveAttribute('data-version', '2');
  await page.getByRole('button', { name: 'Version history' }).click();
  const history = page.getByRole('dialog', { name: 'Versions' });
  await expect(history.getByRole('button', { name: /^View version/ })).toHaveCount(2);
  const width = (v: number) => history.getByRole('img', { name: 'plan.png' }).evaluate((img: HTMLImageElement, ver) => (img.closest('[data-version]')?.getAttribute('data-version') === String(ver) && img.complete ? img.naturalWidth : -1), v);
  await history.getByRole('button', { name: 'View version 2' }).click();
  await expect.poll(() => width(2)).toBe(7);
  await history.getByRole('button', { name: 'Back to versions' }).click();
  await history.getByRole('button', { name: 'View version 1' }).click();
  await expect.poll(() => width(1)).toBe(3);
});

/**
 * Files (R6): a PDF dropped onto the share is encrypted and listed, previewed in-app from
 * memory with pdf.js, and leaves as plaintext only through "Export decrypted copy…".
 * Notes keep versions: an older one is restored from the history.
 */
import { expect, test } from '@playwright/test';
import { addNote, createShare, createTeam, itemButton } from './helpers.js';
import { shot } from './screens.js';
import { pdfOf } from './pdf-fixture.js';

test('a dropped PDF is previewed in-app and exported only on request; a note version is restored', async ({ page }) => {
  await createTeam(page);
  await createShare(page, 'Vollmachten');
  const pdf = pdfOf('Vollmacht', 300, 120);
  const drop = await page.evaluateHandle((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'Vollmacht.pdf', { type: 'application/pdf' }));
    return dt;
  }, pdf);
  await page.locator('main.share-view').dispatchEvent('drop', { dataTransfer: drop });
  await expect(itemButton(page, 'Vollmacht.pdf')).toBeVisible();
  // A file of one chunk is sealed on the UI thread (starting a Worker costs more than sealing it;
  // bigger files are sealed in a Worker that hands back Blobs: upload-cancel.spec.ts); the chunk
  // holds ciphertext (plaintext + 16-byte tag), never the PDF's text.
  const chunks = await page.evaluate(async () => {
    const out: { blob: boolean; size: number; plain: boolean }[] = [];
    for (const { name } of await indexedDB.databases()) {
      const db = await new Promise<IDBDatabase>((res, rej) => { const q = indexedDB.open(name!); q.onsuccess = () => res(q.result); q.onerror = () => rej(q.error); });
      if (db.objectStoreNames.contains('chunks')) {
        const rows = await new Promise<{ bytes: Blob | Uint8Array }[]>((res) => { const q = db.transaction('chunks').objectStore('chunks').getAll(); q.onsuccess = () => res(q.result); });
        for (const r of rows) {
          const bytes = r.bytes instanceof Blob ? new Uint8Array(await r.bytes.arrayBuffer()) : r.bytes;
          out.push({ blob: r.bytes instanceof Blob, size: bytes.length, plain: new TextDecoder('latin1').decode(bytes).includes('Vollmacht') });
        }
      }
      db.close();
    }
    return out;
  });
  expect(chunks).toEqual([{ blob: false, size: pdf.length + 16, plain: false }]);

  await itemButton(page, 'Vollmacht.pdf').click();
  await page.getByRole('button', { name: 'Preview' }).click();
  await expect(page.getByRole('dialog')).toContainText('Page 1 of 1');
  await expect(page.getByRole('img', { name: 'Vollmacht.pdf' })).toBeVisible();
  await shot(page, 'pdf-preview');
  await page.getByRole('button', { name: 'Close preview' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export decrypted copy…' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('Vollmacht.pdf');
  const path = await file.path();
  const { readFileSync } = await import('node:fs');
  expect(readFileSync(path, 'latin1')).toBe(pdf);

  await addNote(page, 'Fristen', 'Erste Fassung');
  await page.getByRole('textbox', { name: 'Note', exact: true }).fill('Zweite Fassung');
  await expect(page.locator('[data-save-state="saved"]')).toBeVisible();
  await page.getByRole('button', { name: 'Version history' }).click();
  await expect(page.getByRole('dialog')).toContainText('current');
  await page.getByRole('dialog').getByRole('button', { name: /^View version/ }).nth(1).click(); // newest first: the version before the current one
  await expect(page.getByRole('dialog').locator('.text-preview')).toHaveText('Erste Fassung');
  await page.getByRole('dialog').getByRole('button', { name: 'Restore this version' }).click();
  await expect(page.getByRole('textbox', { name: 'Note', exact: true })).toHaveValue('Erste Fassung');
});

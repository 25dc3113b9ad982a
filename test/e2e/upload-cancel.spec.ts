/**
 * The upload list with large and many files. Cancelling: the user picks a big file from disk,
 * sees it being encrypted, and clicks Cancel; the bar goes away, no error is shown, no item is
 * listed, and none of its chunks is left in IndexedDB; the next file goes through as usual.
 * Many files at once (a folder of a firm's documents): two are encrypted at a time, each in its
 * own Worker, the others wait; 300 at once used to start 300 Workers, and Chromium could not give
 * WebAssembly memory to 119 of them, which were lost.
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { createShare, createTeam, itemButton, synced } from './helpers.js';
import { shot } from './screens.js';

const MiB = 1024 * 1024;

/** Chunk rows in every IndexedDB database of the page, and how many of them hold a Blob (sealed in a Worker). */
const chunkKinds = (page: Page) => page.evaluate(async () => {
  let rows = 0;
  let blobs = 0;
  for (const { name } of await indexedDB.databases()) {
    const db = await new Promise<IDBDatabase>((res, rej) => { const q = indexedDB.open(name!); q.onsuccess = () => res(q.result); q.onerror = () => rej(q.error); });
    if (db.objectStoreNames.contains('chunks')) {
      const all = await new Promise<{ bytes: unknown }[]>((res) => { const q = db.transaction('chunks').objectStore('chunks').getAll(); q.onsuccess = () => res(q.result); });
      rows += all.length;
      blobs += all.filter((r) => r.bytes instanceof Blob).length;
    }
    db.close();
  }
  return { rows, blobs };
});
const chunkRows = async (page: Page) => (await chunkKinds(page)).rows;

async function pick(page: Page, ...paths: string[]): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Add files…' }).click();
  await (await chooser).setFiles(paths);
}

test('a large upload is cancelled from the upload list and leaves nothing behind', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'truhe-cancel-'));
  try {
    const big = join(dir, 'Scan-Archiv-2026.bin');
    const piece = new Uint8Array(4 * MiB).map((_, i) => (i * 2654435761) >>> 24);
    const fd = openSync(big, 'w');
    for (let i = 0; i < 48; i++) writeSync(fd, piece); // 192 MiB: far from done when Cancel is clicked
    closeSync(fd);
    const small = join(dir, 'Notiz.txt');
    writeFileSync(small, 'Fristenliste Januar');

    await createTeam(page);
    await createShare(page, 'Archiv');
    await pick(page, big);
    const row = page.locator('.uploads li');
    await expect(row).toContainText('Encrypting Scan-Archiv-2026.bin');
    // the encryption is under way (chunks are being stored) when the user changes their mind
    await page.waitForFunction(() => (document.querySelector<HTMLProgressElement>('.uploads progress')?.value ?? 0) > 0);
    await shot(page, 'upload-cancel');
    await page.getByRole('button', { name: 'Cancel the upload of Scan-Archiv-2026.bin' }).click();

    await expect(row).toHaveCount(0);
    await expect(page.locator('[role=alert]')).toHaveCount(0);
    await expect(itemButton(page, 'Scan-Archiv-2026.bin')).toHaveCount(0);
    await expect.poll(() => chunkRows(page)).toBe(0);

    await pick(page, small);
    await expect(itemButton(page, 'Notiz.txt')).toBeVisible();
    await synced(page);
    expect(await chunkRows(page)).toBe(1);
    await expect(itemButton(page, 'Scan-Archiv-2026.bin')).toHaveCount(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sixty files picked at once: two sealed at a time, every file listed, no error', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'truhe-many-'));
  try {
    // 54 small documents (one chunk each, sealed on the UI thread) and 6 scans of 1.5 MiB (two
    // chunks each, sealed in a Worker that hands back Blobs)
    const paths = Array.from({ length: 60 }, (_, i) => {
      const p = join(dir, i < 54 ? `Akte-${String(i).padStart(2, '0')}.txt` : `Scan-${i}.bin`);
      writeFileSync(p, i < 54 ? `Mandant ${i}\n`.repeat(2000) : new Uint8Array(1.5 * MiB).fill(i));
      return p;
    });
    let sealing = 0;
    let most = 0;
    page.on('worker', (w) => {
      if (!w.url().includes('file-seal-worker')) return;
      most = Math.max(most, ++sealing);
      w.on('close', () => sealing--);
    });
    // an item change is not a team change: the team (device list from the relay, safety numbers)
    // used to be reloaded after every file
    let deviceLists = 0;
    page.on('websocket', (ws) => ws.on('framesent', (f) => { if (String(f.payload).includes('"type":"device.list"')) deviceLists++; }));
    await createTeam(page);
    await createShare(page, 'Mandanten');
    await page.waitForTimeout(500);
    const before = deviceLists;
    expect(before).toBeGreaterThan(0); // the listener sees them: the team was loaded once
    await pick(page, ...paths);
    // five rows with their own bar, the rest in one line
    await expect(page.locator('.uploads progress')).toHaveCount(5);
    await expect(page.locator('.uploads .more')).toContainText(/\d+ more files waiting/);
    await expect(page.locator('[data-testid=item-count]')).toHaveAttribute('data-total', '60', { timeout: 60_000 });
    await expect(page.locator('.uploads li')).toHaveCount(0);
    expect(deviceLists).toBe(before);
    await expect(page.locator('[role=alert]')).toHaveCount(0);
    expect(most).toBeGreaterThanOrEqual(1);
    expect(most).toBeLessThanOrEqual(2);
    await synced(page);
    expect(await chunkKinds(page)).toEqual({ rows: 54 + 6 * 2, blobs: 6 * 2 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('"Cancel all" stops every running and waiting upload; nothing of them is kept', async ({ page }) => {
  test.setTimeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'truhe-cancel-all-'));
  try {
    const piece = new Uint8Array(4 * MiB).map((_, i) => (i * 2654435761) >>> 24);
    const paths = Array.from({ length: 12 }, (_, i) => {
      const p = join(dir, `Scan-${i}.bin`);
      const fd = openSync(p, 'w');
      for (let k = 0; k < 12; k++) writeSync(fd, piece); // 48 MiB each: none is done when Cancel all is clicked
      closeSync(fd);
      return p;
    });
    await createTeam(page);
    await createShare(page, 'Archiv');
    await pick(page, ...paths);
    await expect(page.locator('.uploads .more')).toContainText(/\d+ more files waiting/);
    await page.getByRole('button', { name: 'Cancel all' }).click();
    await expect(page.locator('.uploads')).toHaveCount(0);
    await expect(page.locator('[role=alert]')).toHaveCount(0);
    await expect(page.locator('[data-testid=item-count]')).toHaveAttribute('data-total', '0');
    await expect.poll(() => chunkRows(page)).toBe(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

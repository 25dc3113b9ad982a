/**
 * Issue 15 in the web client: a relay at its operator's byte cap (a real relay process on the
 * second relay's port, `--max-bytes`) refuses a note; the app says so in words (RELAY_QUOTA),
 * keeps the note locally with one change waiting, and sends it by itself once the operator
 * raised the cap and the relay is back.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { confirmKit, createShare, fillCreateTeam, itemButton, synced } from './helpers.js';
import { RELAY2_URL } from './ports.js';
import { startSecondRelay, stopSecondRelay } from './second-relay.js';

const data = mkdtempSync(join(tmpdir(), 'truhe-e2e-caps-'));

const startRelay = (maxBytes: number) => startSecondRelay(data, ['--max-bytes', String(maxBytes)]);

test.afterAll(() => rmSync(data, { recursive: true, force: true }));

test('a relay at its byte cap: the note is kept, the app says why, and it goes once room is made', async ({ page }) => {
  let relay = await startRelay(20_000);
  try {
    await page.goto(`/index.html?relay=${encodeURIComponent(RELAY2_URL)}`);
    await page.getByRole('button', { name: /Create a team/ }).click();
    await fillCreateTeam(page);
    await page.getByRole('button', { name: 'Create team' }).click();
    await confirmKit(page);
    await createShare(page, 'Akten');
    await synced(page);

    // Random text does not compress: its ciphertext alone passes the 20 kB cap.
    const body = Array.from({ length: 4000 }, () => Math.random().toString(36).slice(2)).join(' ');
    await page.getByRole('button', { name: 'New note' }).click();
    await page.getByRole('textbox', { name: 'Title', exact: true }).fill('Großer Schriftsatz');
    await page.getByRole('textbox', { name: 'Note', exact: true }).fill(body);
    await expect(page.locator('[data-save-state="saved"]')).toBeVisible();
    const banner = page.locator('.banner.error');
    await expect(banner).toHaveAttribute('data-error-code', 'RELAY_QUOTA');
    await expect(banner).toHaveText('The server has reached the storage limit its operator set. Your changes are kept and will sync once room is made (for example after deleting files).');
    const status = page.getByRole('status', { name: 'Sync status' });
    await expect(status).toHaveAttribute('data-pending', '1');
    await expect(itemButton(page, 'Großer Schriftsatz')).toBeVisible();

    // The operator raises the cap: the kept note goes without anything done in the app.
    await stopSecondRelay(relay);
    relay = await startRelay(10_000_000);
    await expect(status).toHaveAttribute('data-pending', '0', { timeout: 60_000 });
    await expect(banner).toHaveCount(0);
  } finally {
    await stopSecondRelay(relay);
  }
});

/**
 * The web client switching relays in Settings: the relay in use is shown; a plain ws:// relay
 * off this machine is refused in words; a new relay needs the browser's confirmation naming its
 * host (declined: nothing changes; confirmed but silent: RELAY_UNREACHABLE); once confirmed it is the relay in use, and a fresh start of
 * the client with that saved choice creates its team on the second relay (its data folder gets
 * the team file). The second relay is a real relay process started here.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { createTeam, PASSWORD, fillCreateTeam } from './helpers.js';
import { RELAY2_PORT, RELAY2_URL, RELAY_URL } from './ports.js';
import { startSecondRelay, stopSecondRelay } from './second-relay.js';

let relay2: ChildProcess;
const data2 = mkdtempSync(join(tmpdir(), 'truhe-e2e-relay2-'));

test.beforeAll(async () => {
  relay2 = await startSecondRelay(data2);
});
test.afterAll(async () => {
  await stopSecondRelay(relay2);
  rmSync(data2, { recursive: true, force: true });
});

test('Settings switches the relay only after confirmation, and the new relay is the one used', async ({ page, browser }) => {
  await createTeam(page);
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Settings' }).click();
  const inUse = page.getByTestId('relay-in-use');
  await expect(inUse).toHaveText(RELAY_URL);
  const field = page.getByRole('textbox', { name: 'Relay URL' });
  const switchButton = page.getByRole('button', { name: 'Switch relay' });

  await field.fill('ws://relay.kanzlei.de');
  await switchButton.click();
  await expect(page.getByRole('alert')).toHaveAttribute('data-error-code', 'INSECURE_RELAY_URL');
  await expect(inUse).toHaveText(RELAY_URL);

  const questions: string[] = [];
  page.once('dialog', (d) => (questions.push(d.message()), void d.dismiss()));
  await field.fill(RELAY2_URL);
  await switchButton.click();
  await expect(page.locator('[data-relay-outcome="declined"]')).toHaveText('Not switched: the change was not confirmed.');
  await expect(inUse).toHaveText(RELAY_URL);
  expect(questions[0]).toContain(`Connect Truhe to the relay at 127.0.0.1:${RELAY2_PORT} (this computer)?`);

  // Confirmed, but nothing answers there: refused in words, nothing changes.
  page.once('dialog', (d) => void d.accept());
  await field.fill(`ws://127.0.0.1:${RELAY2_PORT + 1}`);
  await switchButton.click();
  await expect(page.getByRole('alert')).toHaveAttribute('data-error-code', 'RELAY_UNREACHABLE');
  await expect(inUse).toHaveText(RELAY_URL);

  page.once('dialog', (d) => void d.accept());
  await field.fill(RELAY2_URL);
  await switchButton.click();
  await expect(page.locator('[data-relay-outcome="switched"]')).toBeVisible();
  await expect(inUse).toHaveText(RELAY2_URL);
  expect(new URL(page.url()).searchParams.get('relay')).toBeNull();

  // A fresh client (no account yet) with the saved choice and no ?relay=: its team lands on relay 2.
  const settings = await page.evaluate(() => localStorage.getItem('truhe.settings.v1'));
  expect(JSON.parse(settings ?? '{}')).toMatchObject({ relayUrl: RELAY2_URL });
  const fresh = await browser.newContext();
  await fresh.addInitScript((s) => localStorage.setItem('truhe.settings.v1', s), settings!);
  const p2 = await fresh.newPage();
  expect(readdirSync(data2).filter((f) => f.startsWith('team-'))).toEqual([]);
  await p2.goto('/index.html');
  await p2.getByRole('button', { name: /Create a team/ }).click();
  await fillCreateTeam(p2);
  await p2.getByRole('button', { name: 'Create team' }).click();
  await expect(p2.getByTestId('kit-relay')).toHaveText(RELAY2_URL, { timeout: 60_000 });
  expect(readdirSync(data2).filter((f) => /^team-[0-9a-f]+\.sqlite$/.test(f))).toHaveLength(1);
  await fresh.close();
});

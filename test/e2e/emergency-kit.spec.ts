/**
 * Issue 17 C in the real web client against the real relay: the emergency kit as a PDF made in
 * the page (the download's bytes are a PDF holding the Secret Key; no request leaves for anywhere
 * but the relay and the page's own server), copy buttons whose text leaves the clipboard after the
 * (shortened) timeout unless the person copied something else, and at once on lock, "Show my emergency kit" refusing a
 * wrong password, and a second browser signing in from the setup code with only the password and
 * the Secret Key typed.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { recordNetwork } from './audit.js';
import { createShare, fillCreateTeam, itemButton, addNote, PASSWORD, synced } from './helpers.js';
import { appUrl, WEB_URL } from './ports.js';
import { shot } from './screens.js';

const clipboardText = (page: Page) => page.evaluate(() => navigator.clipboard.readText());

test('kit PDF, copy buttons that clear the clipboard, the kit again after the password, a new device from the setup code', async ({ browser }) => {
  test.setTimeout(180_000);
  const ctx = await browser.newContext();
  await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: WEB_URL });
  const net = recordNetwork(ctx);
  const page = await ctx.newPage();
  await page.goto(appUrl('&clipboardSeconds=2'));
  await page.getByRole('button', { name: /Create a team/ }).click();
  await fillCreateTeam(page, { team: 'Kanzlei Müller (Köln)' });
  await page.getByRole('button', { name: 'Create team' }).click();
  await expect(page.getByRole('heading', { name: 'Your emergency kit' })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('kit-team-name')).toHaveText('Kanzlei Müller (Köln)');
  const secretKey = (await page.getByTestId('kit-secret').textContent())!;
  const teamId = (await page.getByTestId('kit-team').textContent())!;
  const setupCode = (await page.getByTestId('kit-setup-code').textContent())!;
  expect(secretKey).toMatch(/^A3-/);
  expect(setupCode).toMatch(/^TRS1-/);
  await expect(page.getByRole('img', { name: 'QR code of the setup code' })).toBeVisible();
  await shot(page, 'emergency-kit');

  await test.step('the PDF is made here and holds the kit', async () => {
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Save as PDF' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('truhe-emergency-kit.pdf');
    const bytes = readFileSync((await file.path())!);
    const text = bytes.toString('latin1');
    expect(text.startsWith('%PDF-')).toBe(true);
    expect(text.trimEnd().endsWith('%%EOF')).toBe(true);
    expect(text).toContain(`(${secretKey})`);
    expect(text).toContain(`(${teamId})`);
    expect(text).toContain('(Kanzlei M\\374ller \\(K\\366ln\\))'); // the team's name, WinAnsi with escaped parentheses
    for (const group of setupCode.split('-').slice(1, 4)) expect(text).toContain(group);
    await expect(page.getByRole('status').filter({ hasText: 'The PDF is saved' })).toBeVisible();
  });

  await test.step('copy puts the Secret Key on the clipboard and the timeout takes it off', async () => {
    const secretCopy = page.locator('.copy').filter({ has: page.getByRole('button', { name: 'Copy Secret Key' }) });
    await page.getByRole('button', { name: 'Copy Secret Key' }).click();
    await expect(secretCopy.getByRole('status')).toHaveText('Copied. The clipboard is cleared in 2 s.');
    expect(await clipboardText(page)).toBe(secretKey);
    await expect(secretCopy.getByRole('status')).toHaveText('Clipboard cleared.');
    expect(await clipboardText(page)).toBe('');
  });

  await test.step('text copied since the copy stays on the clipboard', async () => {
    const setupCopy = page.locator('.copy').filter({ has: page.getByRole('button', { name: 'Copy setup code' }) });
    await page.getByRole('button', { name: 'Copy setup code' }).click();
    await expect(setupCopy.getByRole('status')).toHaveAttribute('data-copy-state', 'copied');
    expect(await clipboardText(page)).toBe(setupCode);
    await page.evaluate(() => navigator.clipboard.writeText('Aktenzeichen 12/345'));
    await expect(setupCopy.getByRole('status')).toHaveAttribute('data-copy-state', 'idle'); // the timeout ran and left it
    expect(await clipboardText(page)).toBe('Aktenzeichen 12/345');
  });

  await page.getByLabel('I have saved my emergency kit in a safe place').check();
  await page.getByRole('button', { name: 'Open my vault' }).click();
  await expect(page.getByRole('status', { name: 'Sync status' })).toContainText('Online');
  await createShare(page, 'Mandanten');
  await addNote(page, 'Fristen', 'Berufung bis 15.01.');
  await synced(page);

  await test.step('Account: a wrong password shows no kit, the right one shows it', async () => {
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Account' }).click();
    const section = page.getByRole('region', { name: 'Emergency kit' });
    await section.getByLabel('Your password').fill('not my password');
    await section.getByRole('button', { name: 'Show my emergency kit' }).click();
    await expect(section.getByRole('alert')).toHaveAttribute('data-error-code', 'WRONG_PASSWORD');
    await expect(section.getByRole('alert')).toContainText('Wrong password');
    await expect(page.getByTestId('kit-secret')).toHaveCount(0);
    await section.getByLabel('Your password').fill(PASSWORD);
    await section.getByRole('button', { name: 'Show my emergency kit' }).click();
    await expect(page.getByTestId('kit-secret')).toHaveText(secretKey);
    await expect(page.getByTestId('kit-setup-code')).toHaveText(setupCode);
    await expect(section.getByRole('alert')).toHaveCount(0);
    await shot(page, 'account-kit');
    await section.getByRole('button', { name: 'Hide emergency kit' }).click();
    await expect(page.getByTestId('kit-secret')).toHaveCount(0);
  });

  await test.step('locking clears a copied secret at once, long before the timeout', async () => {
    await page.goto(appUrl('&clipboardSeconds=60'));
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect(page.getByRole('status', { name: 'Sync status' })).toContainText('Online');
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Account' }).click();
    const section = page.getByRole('region', { name: 'Emergency kit' });
    await section.getByLabel('Your password').fill(PASSWORD);
    await section.getByRole('button', { name: 'Show my emergency kit' }).click();
    await section.getByRole('button', { name: 'Copy Secret Key' }).click();
    await expect(section.getByText('Copied. The clipboard is cleared in 60 s.')).toBeVisible();
    expect(await clipboardText(page)).toBe(secretKey);
    await page.getByRole('button', { name: 'Lock', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Unlock Truhe' })).toBeVisible();
    await expect.poll(() => clipboardText(page), { timeout: 10_000 }).toBe('');
  });
  expect(net.foreign()).toEqual([]);

  await test.step('a second browser signs in from the setup code with password and Secret Key only', async () => {
    const other = await browser.newContext();
    const b = await other.newPage();
    await b.goto(appUrl());
    await b.getByRole('button', { name: /Sign in on a new device/ }).click();
    await b.getByLabel('Setup code (from your emergency kit)').fill(`TRS1-${setupCode.slice(6, 20)}`); // cut short: refused in words
    await expect(b.getByRole('alert')).toHaveAttribute('data-error-code', 'SETUP_CODE_INVALID');
    const typo = setupCode.slice(0, 12) + (setupCode[12] === 'A' ? 'B' : 'A') + setupCode.slice(13);
    await b.getByLabel('Setup code (from your emergency kit)').fill(typo);
    await expect(b.getByRole('alert')).toHaveAttribute('data-error-code', 'SETUP_CODE_CHECK');
    await b.getByLabel('Setup code (from your emergency kit)').fill(setupCode.toLowerCase().replace(/-/g, ' '));
    await expect(b.getByRole('status').filter({ hasText: 'filled in from the setup code' })).toBeVisible();
    await expect(b.getByLabel('Team id')).toHaveValue(teamId);
    await b.getByLabel('Secret Key').fill(secretKey);
    await b.getByLabel('Password').fill(PASSWORD);
    await shot(b, 'sign-in-setup-code');
    await b.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(itemButton(b, 'Fristen')).toBeVisible({ timeout: 60_000 });
    await other.close();
  });
  await ctx.close();
});

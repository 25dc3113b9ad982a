/**
 * Every message says what happened (issue 17 B): an account id that does not exist is not called
 * a wrong password (the relay answers both alike on purpose, so the app says "not recognised"),
 * and a sign-in that cannot reach the server does not claim "your changes are kept" (there are none).
 */
import { randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { createTeam, PASSWORD, signIn } from './helpers.js';
import { RELAY2_URL } from './ports.js';

test('sign-in: an unknown account id is "not recognised" (not "wrong password"); no server is not "changes kept"', async ({ browser }) => {
  const ownerCtx = await browser.newContext();
  const kit = await createTeam(await ownerCtx.newPage());
  const ctx = await browser.newContext();
  const page = await ctx.newPage();

  await signIn(page, { ...kit, accountId: randomBytes(16).toString('base64url') }); // only the account id is wrong
  const alert = page.getByRole('alert');
  await expect(alert).toHaveAttribute('data-error-code', 'SIGN_IN_NOT_RECOGNISED', { timeout: 60_000 });
  await expect(alert).toContainText('not recognised');
  await expect(alert).toContainText('emergency kit');
  await expect(alert).not.toContainText('Wrong password');
  await expect(alert).not.toContainText('changes are kept');

  // the right kit, but a server address where nothing listens
  await page.getByLabel('Server', { exact: true }).fill(RELAY2_URL);
  await page.getByLabel('Account id').fill(kit.accountId);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(alert).toHaveAttribute('data-error-code', 'RELAY_UNREACHABLE', { timeout: 60_000 });
  await expect(alert).toContainText('cannot be reached');
  await expect(alert).toContainText('server address');
  await expect(alert).not.toContainText('changes are kept');
  await ctx.close();
  await ownerCtx.close();
});

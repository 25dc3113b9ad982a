/**
 * Accessibility: every interactive element on every main screen has an accessible name, and
 * the create-team → emergency kit → lock → unlock flow works with the keyboard alone.
 */
import { expect, test, type Page } from '@playwright/test';
import { addNote, createShare, fillCreateTeam, itemButton, PASSWORD } from './helpers.js';
import { appUrl } from './ports.js';
import { shot } from './screens.js';

const INTERACTIVE = 'button, input:not([type=hidden]), select, textarea, a[href], [role=button], [tabindex]:not([tabindex="-1"])';

async function allNamed(page: Page, screen: string): Promise<void> {
  const controls = page.locator(INTERACTIVE);
  const n = await controls.count();
  expect(n, `${screen}: has controls`).toBeGreaterThan(0);
  for (let i = 0; i < n; i++) {
    const c = controls.nth(i);
    if (!(await c.isVisible())) continue;
    await expect(c, `${screen}: control ${i} (${await c.evaluate((e) => e.outerHTML.slice(0, 120))})`).toHaveAccessibleName(/\S/);
  }
}

/** Presses Tab until the focused element has the given accessible name (keyboard only). */
async function tabTo(page: Page, name: string | RegExp): Promise<void> {
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    const focused = page.locator(':focus');
    if ((await focused.count()) === 1) {
      const label = await focused.evaluate((e) => {
        const el = e as HTMLInputElement;
        return (el.labels?.[0]?.textContent ?? '') + '|' + (e.getAttribute('aria-label') ?? '') + '|' + (e.textContent ?? '');
      });
      if (typeof name === 'string' ? label.includes(name) : name.test(label)) return;
    }
  }
  throw new Error(`tabTo: never reached "${String(name)}" with the Tab key`);
}

test('create team, read the kit, lock and unlock with the keyboard alone', async ({ page }) => {
  await page.goto(appUrl());
  await shot(page, 'welcome');
  await allNamed(page, 'welcome');
  await tabTo(page, 'Create a team');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Create your team' })).toBeVisible();
  await allNamed(page, 'create team');
  await page.keyboard.type('Kanzlei Tastatur'); // the team name field has the focus
  await tabTo(page, 'Your name');
  await page.keyboard.type('Karla Tastatur');
  await tabTo(page, 'Choose a password');
  await page.keyboard.type(PASSWORD);
  await tabTo(page, 'Repeat the password');
  await page.keyboard.type(PASSWORD);
  await shot(page, 'create-team');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Your emergency kit' })).toBeVisible({ timeout: 60_000 });
  await shot(page, 'emergency-kit');
  await allNamed(page, 'emergency kit');
  await tabTo(page, 'I have saved my emergency kit');
  await page.keyboard.press('Space');
  await tabTo(page, 'Open my vault');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status', { name: 'Sync status' })).toContainText('Online');

  await tabTo(page, /^\|\|Lock$/);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Unlock Truhe' })).toBeVisible();
  await allNamed(page, 'unlock');
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status', { name: 'Sync status' })).toContainText('Online');
});

test('every control on the vault and admin screens has an accessible name', async ({ page }) => {
  await page.goto(appUrl());
  for (const [button, screen] of [['Join my team with an invitation', 'join team'], ['Join with a link or code', 'join'], ['Sign in on a new device', 'sign in']] as const) {
    await page.getByRole('button', { name: new RegExp(button) }).click();
    await allNamed(page, screen);
    await page.getByRole('button', { name: 'Back' }).click();
  }
  await page.getByRole('button', { name: /Create a team/ }).click();
  await page.getByText('Your relay operator gave you a token').click(); // the collapsed token field, opened
  await allNamed(page, 'create team with token field');
  await fillCreateTeam(page);
  await page.getByRole('button', { name: 'Create team' }).click();
  await page.getByLabel('I have saved my emergency kit in a safe place').check();
  await page.getByRole('button', { name: 'Open my vault' }).click();
  await allNamed(page, 'empty vault');
  await createShare(page, 'Gesellschaftsrecht');
  await addNote(page, 'Satzung', 'Entwurf §1');
  await allNamed(page, 'vault with note');
  await page.getByRole('button', { name: 'Version history' }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await allNamed(page, 'history');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(itemButton(page, 'Satzung')).toBeVisible();

  for (const [nav, screen] of [['Share settings', 'share panel'], ['Activity', 'activity']] as const) {
    await page.getByRole('button', { name: nav }).click();
    await expect(page.getByRole('button', { name: '← Back' })).toBeVisible();
    await allNamed(page, screen);
    await shot(page, screen.replace(' ', '-'));
    await page.getByRole('button', { name: '← Back' }).click();
  }
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Team' }).click();
  await page.getByRole('button', { name: 'Create invitation' }).click();
  await expect(page.getByTestId('team-invite-link')).toContainText('truhe://team');
  await page.getByRole('button', { name: 'Show safety number of Anna Inhaberin' }).click();
  await allNamed(page, 'team with a new invitation');
  await shot(page, 'team');
  await page.getByRole('button', { name: /^Revoke the invitation/ }).click();
  await expect(page.getByRole('alertdialog')).toBeVisible();
  await allNamed(page, 'revoke invitation dialog');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('alertdialog')).toHaveCount(0);
  for (const nav of ['Team', 'Devices', 'Account', 'Settings']) {
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: nav }).click();
    await expect(page.getByRole('button', { name: nav, exact: true })).toHaveAttribute('aria-current', 'page');
    await allNamed(page, nav);
    await shot(page, nav.toLowerCase());
  }
});

/** Steps the specs share. They drive the real UI only and wait for visible state, never sleep. */
import { expect, type Page } from '@playwright/test';
import { appUrl } from './ports.js';

export const PASSWORD = 'Akten-Schrank-Sommer-2026!';

export interface Kit {
  secretKey: string;
  teamId: string;
  accountId: string;
  relayUrl: string;
}

/** Welcome → create team (team name, your name, password) → kit confirmed → vault open. Returns the emergency kit's fields. */
export async function createTeam(page: Page, extraQuery = '', names: { team?: string; you?: string } = {}): Promise<Kit> {
  await page.goto(appUrl(extraQuery));
  await page.getByRole('button', { name: /Create a team/ }).click();
  await fillCreateTeam(page, names);
  await page.getByRole('button', { name: 'Create team' }).click();
  return confirmKit(page);
}

/** Fills the create-team form: the team's name, your name, the password twice. */
export async function fillCreateTeam(page: Page, names: { team?: string; you?: string } = {}): Promise<void> {
  await page.getByLabel('Name of your team (e.g. your firm)').fill(names.team ?? 'Kanzlei Muster');
  await page.getByLabel('Your name', { exact: true }).fill(names.you ?? 'Anna Inhaberin');
  await page.getByLabel('Choose a password').fill(PASSWORD);
  await page.getByLabel('Repeat the password').fill(PASSWORD);
}

/** The emergency kit screen (after creating or joining a team): read it, confirm, open the vault. */
export async function confirmKit(page: Page): Promise<Kit> {
  await expect(page.getByRole('heading', { name: 'Your emergency kit' })).toBeVisible({ timeout: 60_000 });
  const kit = {
    secretKey: (await page.getByTestId('kit-secret').textContent()) ?? '',
    teamId: (await page.getByTestId('kit-team').textContent()) ?? '',
    accountId: (await page.getByTestId('kit-account').textContent()) ?? '',
    relayUrl: (await page.getByTestId('kit-relay').textContent()) ?? '',
  };
  await page.getByLabel('I have saved my emergency kit in a safe place').check();
  await page.getByRole('button', { name: 'Open my vault' }).click();
  await expect(page.getByRole('status', { name: 'Sync status' })).toContainText('Online');
  return kit;
}

export async function createShare(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: '+ New share' }).click();
  await page.getByLabel('Name of the new share').fill(name);
  await page.getByRole('button', { name: 'Create share' }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}

/** Creates a note and waits until it is saved and listed. */
export async function addNote(page: Page, title: string, body: string): Promise<void> {
  await page.getByRole('button', { name: 'New note' }).click();
  await page.getByRole('textbox', { name: 'Title', exact: true }).fill(title);
  await page.getByRole('textbox', { name: 'Note', exact: true }).fill(body);
  await expect(page.locator('[data-save-state="saved"]')).toBeVisible();
  await expect(itemButton(page, title)).toBeVisible();
}

export function itemButton(page: Page, title: string) {
  return page.getByRole('region', { name: 'Items' }).getByRole('button', { name: new RegExp(title) });
}

/** Waits until the relay has acknowledged every local change. */
export async function synced(page: Page): Promise<void> {
  await expect(page.getByRole('status', { name: 'Sync status' })).toHaveAttribute('data-pending', '0');
  await expect(page.getByRole('status', { name: 'Sync status' })).toHaveAttribute('data-connection', 'online');
}

/** "Sign in on a new device" with an emergency kit's ids and Secret Key and PASSWORD. */
export async function signIn(page: Page, kit: { teamId: string; accountId: string; secretKey: string }): Promise<void> {
  await page.goto(appUrl());
  await page.getByRole('button', { name: /Sign in on a new device/ }).click();
  await page.getByLabel('Team id').fill(kit.teamId);
  await page.getByLabel('Account id').fill(kit.accountId);
  await page.getByLabel('Secret Key').fill(kit.secretKey);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

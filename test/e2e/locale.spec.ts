/**
 * Locale (issue 17 B): a browser set to de-DE starts in German, with every visible string German
 * and times on the 24-hour clock, on the welcome, create, vault, share-settings, activity and
 * history screens; the welcome screen's language choice switches to English and back, and
 * `<html lang>` follows it.
 */
import { expect, test, type Page } from '@playwright/test';
import { PASSWORD } from './helpers.js';
import { appUrl } from './ports.js';

/** English words of the UI that must not appear in German (whole words, case-sensitive). */
const ENGLISH = /\b(Welcome|Create|Sign in|Join|Password|Cancel|Continue|Back|Share settings|Shares?|New note|New share|Items?|item|Search|Sort|Title|Saved|Saving|Delete|History|older versions|Settings|Devices|Account|Lock|Activity|Members?|Owner|Editor|Viewer|Access codes?|created|added|rotated|you|your|Your|the|and|of|to|with|Connecting|Loading|changes?|waiting|synced|Nothing|current|older|No)\b/;
const H24 = /\b([01]\d|2[0-3]):[0-5]\d\b/;
const AMPM = /\b(AM|PM|a\.m\.|p\.m\.)\b/i;

async function visibleText(page: Page): Promise<string> {
  return page.locator('body').innerText();
}

/** Every visible string on the page is German: none of the UI's English words is shown. */
async function expectGerman(page: Page, screen: string): Promise<string> {
  const text = await visibleText(page);
  const hit = ENGLISH.exec(text);
  expect(hit?.[0] ?? null, `${screen}: English word "${hit?.[0]}" in:\n${text}`).toBeNull();
  expect(await page.locator('html').getAttribute('lang')).toBe('de');
  return text;
}

test('a de-DE browser starts in German: welcome, create, vault, share settings, activity, history; 24-hour times', async ({ browser }) => {
  const ctx = await browser.newContext({ locale: 'de-DE', timezoneId: 'Europe/Berlin' });
  const page = await ctx.newPage();
  await page.goto(appUrl());

  await expect(page.getByRole('heading', { name: 'Willkommen bei Truhe' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Deutsch' })).toHaveAttribute('aria-pressed', 'true');
  await expectGerman(page, 'welcome');

  await page.getByRole('button', { name: /Team anlegen/ }).click();
  await expect(page.getByRole('heading', { name: 'Ihr Team anlegen' })).toBeVisible();
  await expectGerman(page, 'create');
  await page.getByLabel('Name Ihres Teams (z. B. Ihre Kanzlei)').fill('Kanzlei Muster');
  await page.getByLabel('Ihr Name', { exact: true }).fill('Anna Inhaberin');
  await page.getByLabel('Passwort wählen').fill(PASSWORD);
  await page.getByLabel('Passwort wiederholen').fill(PASSWORD);
  await page.getByRole('button', { name: 'Team anlegen' }).click();

  await expect(page.getByRole('heading', { name: 'Ihr Notfall-Kit' })).toBeVisible({ timeout: 60_000 });
  await page.getByLabel('Ich habe mein Notfall-Kit sicher aufbewahrt').check();
  await page.getByRole('button', { name: 'Meinen Tresor öffnen' }).click();
  const status = page.getByRole('status', { name: 'Abgleichstatus' });
  await expect(status).toHaveAttribute('data-connection', 'online');
  await expectGerman(page, 'empty vault');

  await page.getByRole('button', { name: '+ Neue Freigabe' }).click();
  await page.getByLabel('Name der neuen Freigabe').fill('Steuerakte');
  await page.getByRole('button', { name: 'Freigabe anlegen' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Steuerakte' })).toBeVisible();
  await page.getByRole('button', { name: 'Neue Notiz' }).click();
  await page.getByRole('textbox', { name: 'Titel', exact: true }).fill('Belege');
  await expect(page.locator('[data-save-state="saved"]')).toBeVisible();
  await expect(status).toHaveAttribute('data-pending', '0');

  // one version: the history says so in words that fit the list below (not "no older versions" above "v1 … current")
  await page.getByRole('button', { name: 'Versionsverlauf' }).click();
  const history = page.getByRole('dialog', { name: 'Versionen' });
  await expect(history).toContainText(/v1 · .* · Sie/);
  await expect(history).toContainText('aktuell');
  await expect(history).toContainText('Bisher gibt es nur diese Version');
  const historyText = await history.innerText();
  expect(historyText).toMatch(H24);
  expect(historyText).not.toMatch(AMPM);
  await expectGerman(page, 'history');
  await history.getByRole('button', { name: 'Schließen' }).click();

  await page.getByRole('textbox', { name: 'Notiz', exact: true }).fill('Stand: Januar');
  await expect(page.locator('[data-save-state="saved"]')).toBeVisible();
  await expect(status).toHaveAttribute('data-pending', '0');
  await page.getByRole('button', { name: 'Versionsverlauf' }).click();
  await expect(history).not.toContainText('Bisher gibt es nur diese Version');
  // an older version is shown first (text and changes), then restored from there: German too
  await history.getByRole('button', { name: 'Version 1 ansehen' }).click();
  await expect(history.getByRole('button', { name: 'Diese Version wiederherstellen' })).toBeVisible();
  await expect(history.getByRole('region', { name: 'Änderungen von dieser Version zur aktuellen' })).toContainText('Stand: Januar');
  await expectGerman(page, 'version preview');
  await history.getByRole('button', { name: 'Zurück zu den Versionen' }).click();
  await history.getByRole('button', { name: 'Schließen' }).click();

  // the list row: date and time in German, 24-hour, the author as "Sie" (the core returns data, not 'you')
  const row = page.getByRole('region', { name: 'Elemente' }).getByRole('button', { name: /Belege/ });
  const meta = (await row.innerText()).split('\n').at(-1) ?? '';
  expect(meta).toMatch(/^\d\d\.\d\d\.\d\d, ([01]\d|2[0-3]):[0-5]\d · Sie$/);
  const vaultText = await expectGerman(page, 'vault');
  expect(vaultText).not.toMatch(AMPM);

  await page.getByRole('button', { name: 'Freigabe-Einstellungen' }).click();
  await expect(page.getByRole('heading', { name: /Freigabe-Einstellungen: Steuerakte/ })).toBeVisible();
  await expect(page.getByTestId('member-row')).toContainText('Sie');
  await expectGerman(page, 'share settings');

  await page.getByRole('button', { name: /Zurück/ }).click();
  await page.getByRole('button', { name: 'Aktivität' }).click();
  const entry = page.getByTestId('activity-entry').first();
  await expect(entry).toContainText('Sie haben die Freigabe angelegt');
  const activityText = await entry.innerText();
  expect(activityText).toMatch(H24);
  expect(activityText).not.toMatch(AMPM);
  await expectGerman(page, 'activity');
  await ctx.close();
});

test('the welcome screen switches the language before any vault exists; <html lang> follows', async ({ browser }) => {
  const ctx = await browser.newContext({ locale: 'de-DE' });
  const page = await ctx.newPage();
  await page.goto(appUrl());
  const html = page.locator('html');
  await expect(page.getByRole('heading', { name: 'Willkommen bei Truhe' })).toBeVisible();
  await expect(html).toHaveAttribute('lang', 'de');

  await page.getByRole('group', { name: 'Sprache' }).getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { name: 'Welcome to Truhe' })).toBeVisible();
  await expect(html).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('button', { name: 'English' })).toHaveAttribute('aria-pressed', 'true');

  // the choice is kept: a reload stays English although the browser prefers German
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Welcome to Truhe' })).toBeVisible();
  await expect(html).toHaveAttribute('lang', 'en');

  await page.getByRole('group', { name: 'Language' }).getByRole('button', { name: 'Deutsch' }).click();
  await expect(page.getByRole('heading', { name: 'Willkommen bei Truhe' })).toBeVisible();
  await expect(html).toHaveAttribute('lang', 'de');
  await ctx.close();
});

test('an English (en-US) browser starts in English', async ({ browser }) => {
  const ctx = await browser.newContext({ locale: 'en-US' });
  const page = await ctx.newPage();
  await page.goto(appUrl());
  await expect(page.getByRole('heading', { name: 'Welcome to Truhe' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await ctx.close();
});

/**
 * Issue 16, first run in the web client: the welcome and create-team screens ask for the firm's
 * relay; "Check connection" refuses plain ws:// off this computer in words (no dialog, no
 * connection), names a relay that does not answer and a WebSocket service that is not a Truhe
 * relay (a real `ws` server on the second relay's port), saves nothing then, and creates the
 * team on the relay it checked after the browser's confirmation naming the host. A pasted
 * invitation link for another relay (a real second relay process) is shown with that relay and
 * contacts nothing there until the person agrees; a guest link for another relay is gated too.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { WebSocketServer } from 'ws';
import { confirmKit, fillCreateTeam } from './helpers.js';
import { startSecondRelay, stopSecondRelay } from './second-relay.js';
import { RELAY2_PORT, RELAY2_URL, RELAY_PORT, RELAY_URL, appUrl } from './ports.js';

const settingsOf = async (page: Page) => JSON.parse((await page.evaluate(() => localStorage.getItem('truhe.settings.v1'))) ?? '{}') as { relayUrl?: string };

test('first run: the relay field checks the address, names what is wrong, and the team is made on the checked relay', async ({ browser }) => {
  // A WebSocket service that is not Truhe, where the second relay would be.
  const chat = new WebSocketServer({ host: '127.0.0.1', port: RELAY2_PORT });
  chat.on('connection', (ws) => ws.on('message', () => ws.send(JSON.stringify({ chat: 'hello there' }))));
  await new Promise((r) => chat.once('listening', r));
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const questions: string[] = [];
  page.on('dialog', (d) => (questions.push(d.message()), void d.accept()));
  try {
    // No relay configured (no ?relay=, nothing saved): the welcome screen asks for it.
    await page.goto('/index.html');
    const welcomeField = page.getByTestId('welcome-relay-url');
    await expect(welcomeField).toBeVisible();
    await expect(welcomeField).toHaveValue('');
    await welcomeField.fill('ws://relay.kanzlei.de');
    await page.getByRole('button', { name: 'Check connection' }).click();
    const alert = page.getByRole('alert');
    await expect(alert).toHaveAttribute('data-error-code', 'INSECURE_RELAY_URL');
    await expect(alert).toContainText('needs wss://');
    expect(questions).toEqual([]); // refused by the policy: nothing asked, nothing contacted

    await page.getByRole('button', { name: /Create a team/ }).click();
    const field = page.getByTestId('create-relay-url');
    const check = page.getByRole('button', { name: 'Check connection' });
    await expect(field).toHaveValue('');

    // Confirmed, but nothing answers there.
    await field.fill(`ws://127.0.0.1:${RELAY2_PORT + 1}`);
    await check.click();
    await expect(alert).toHaveAttribute('data-error-code', 'RELAY_UNREACHABLE');
    await expect(alert).toContainText('Nothing answers at this address');
    expect(questions.at(-1)).toContain(`Connect Truhe to the relay at 127.0.0.1:${RELAY2_PORT + 1} (this computer)?`);

    // Something answers, but it is not a Truhe relay: said so, and it is not saved.
    await field.fill(RELAY2_URL);
    await check.click();
    await expect(alert).toHaveAttribute('data-error-code', 'NOT_A_RELAY');
    await expect(alert).toContainText('not a Truhe server');
    expect((await settingsOf(page)).relayUrl ?? null).toBeNull();

    // The firm's relay: asked naming its host, checked, and the team is created there.
    await field.fill(`${RELAY_URL}/`);
    await check.click();
    await expect(page.locator('[data-relay-check="ok"]')).toHaveText(`Connected: a Truhe server answers at 127.0.0.1:${RELAY_PORT}.`);
    expect(questions.at(-1)).toContain(`Connect Truhe to the relay at 127.0.0.1:${RELAY_PORT} (this computer)?`);
    expect((await settingsOf(page)).relayUrl).toBe(RELAY_URL);
    const asked = questions.length;
    await fillCreateTeam(page);
    await page.getByRole('button', { name: 'Create team' }).click();
    const kit = await confirmKit(page);
    expect(kit.relayUrl).toBe(RELAY_URL);
    expect(questions.length).toBe(asked); // already the relay in use: not asked again
  } finally {
    await ctx.close();
    await new Promise((r) => chat.close(r));
  }
});

test('a pasted link for another relay shows that relay and contacts it only after the person agrees', async ({ browser }) => {
  const data2 = mkdtempSync(join(tmpdir(), 'truhe-e2e-first-run-'));
  const relay2 = await startSecondRelay(data2);
  const ownerCtx = await browser.newContext();
  const joinerCtx = await browser.newContext();
  try {
    // The owner's team lives on the second relay; the invitation link names it.
    const owner = await ownerCtx.newPage();
    await owner.goto(`/index.html?relay=${encodeURIComponent(RELAY2_URL)}`);
    await owner.getByRole('button', { name: /Create a team/ }).click();
    await expect(owner.getByTestId('create-relay-url')).toHaveValue(RELAY2_URL); // prefilled from the configured relay
    await fillCreateTeam(owner, { team: 'Kanzlei Zwei', you: 'Olga Owner' });
    await owner.getByRole('button', { name: 'Create team' }).click();
    expect((await confirmKit(owner)).relayUrl).toBe(RELAY2_URL);
    await owner.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Team' }).click();
    await owner.getByLabel('Role in the team').selectOption({ label: 'Member' });
    await owner.getByLabel('Valid for (hours)').fill('24');
    await owner.getByRole('button', { name: 'Create invitation' }).click();
    await expect(owner.getByTestId('team-invite-link')).toContainText('truhe://team?');
    const link = (await owner.getByTestId('team-invite-link').textContent()) ?? '';
    expect(new URL(link).searchParams.get('relay')).toBe(RELAY2_URL);

    // The joiner's app uses the first relay.
    const joiner = await joinerCtx.newPage();
    const sockets: string[] = [];
    joiner.on('websocket', (ws) => sockets.push(ws.url()));
    const toRelay2 = () => sockets.filter((u) => u.startsWith(RELAY2_URL));
    const questions: string[] = [];
    let answer: 'accept' | 'dismiss' = 'dismiss';
    joiner.on('dialog', (d) => (questions.push(d.message()), void (answer === 'accept' ? d.accept() : d.dismiss())));
    await joiner.goto(appUrl());

    // A guest link for another relay is gated the same way; one with plain ws:// off this computer is refused.
    await joiner.getByRole('button', { name: /Join with a link or code/ }).click();
    const shareLink = joiner.getByLabel('Share link');
    await shareLink.fill(`truhe://join?relay=${encodeURIComponent('ws://relay.kanzlei.de')}&team=AAAAAAAAAAAAAAAAAAAAAA&code=x.y`);
    await joiner.getByRole('button', { name: 'Join', exact: true }).click();
    await expect(joiner.getByRole('alert')).toHaveAttribute('data-error-code', 'INSECURE_RELAY_URL');
    await shareLink.fill(`truhe://join?relay=${encodeURIComponent('wss://truhe.other-firm.example')}&team=AAAAAAAAAAAAAAAAAAAAAA&code=x.y`);
    await joiner.getByRole('button', { name: 'Join', exact: true }).click();
    await expect(joiner.getByTestId('relay-gate-target')).toHaveText(`The link points to the server at truhe.other-firm.example. This app uses 127.0.0.1:${RELAY_PORT}.`);
    await joiner.getByRole('button', { name: 'Do not switch' }).click();
    await expect(joiner.getByTestId('relay-gate')).toHaveCount(0);
    expect(sockets.filter((u) => u.includes('other-firm'))).toEqual([]);
    await joiner.getByRole('button', { name: 'Back' }).click();

    await joiner.getByRole('button', { name: /Join my team with an invitation/ }).click();
    await joiner.getByLabel('Team invitation link').fill(link);
    const showInvitation = joiner.getByRole('button', { name: 'Show invitation' });
    await showInvitation.click();
    const target = joiner.getByTestId('relay-gate-target');
    await expect(target).toHaveText(`The link points to the server at 127.0.0.1:${RELAY2_PORT}. This app uses 127.0.0.1:${RELAY_PORT}.`);
    await expect(joiner.getByTestId('invitation-preview')).toHaveCount(0);
    expect(toRelay2()).toEqual([]);

    // "Do not switch": nothing changes.
    await joiner.getByRole('button', { name: 'Do not switch' }).click();
    await expect(joiner.getByTestId('relay-gate')).toHaveCount(0);
    // Switch, but the browser's question (naming the host) is declined: still nothing contacted.
    await showInvitation.click();
    const switchButton = joiner.getByRole('button', { name: `Switch to 127.0.0.1:${RELAY2_PORT}` });
    await switchButton.click();
    await expect(joiner.locator('[data-relay-check="declined"]')).toHaveText('Not switched: the change was not confirmed.');
    expect(questions).toHaveLength(1);
    expect(questions[0]).toContain(`Connect Truhe to the relay at 127.0.0.1:${RELAY2_PORT} (this computer)?`);
    expect(toRelay2()).toEqual([]);
    expect((await settingsOf(joiner)).relayUrl ?? null).toBeNull();

    // Agreed: the app switches (saved), and only now reads the invitation from the second relay.
    answer = 'accept';
    await switchButton.click();
    await expect(joiner.getByTestId('invitation-preview')).toContainText('Olga Owner invites you to Kanzlei Zwei as Member');
    expect(questions).toHaveLength(2);
    expect(toRelay2().length).toBeGreaterThan(0);
    expect((await settingsOf(joiner)).relayUrl).toBe(RELAY2_URL);
  } finally {
    await ownerCtx.close();
    await joinerCtx.close();
    await stopSecondRelay(relay2);
    rmSync(data2, { recursive: true, force: true });
  }
});

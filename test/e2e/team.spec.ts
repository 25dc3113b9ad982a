/**
 * Issue 13 end to end, in the UI only: the owner creates a team and invites a colleague by link
 * from the Team screen; the colleague joins in a fresh browser context (its own profile) by
 * pasting the link, sees the team's and the owner's names before any password field, waits for
 * an admin, and is confirmed by the owner's open client by itself. Both see each other's names;
 * the owner adds the colleague (picked by name) to a share as editor and writes a note the
 * colleague reads. The owner removes the colleague from the team: the colleague's window is
 * cut off with a clear full-screen message and no note content remains on it.
 */
import { expect, test, type Page } from '@playwright/test';
import { recordNetwork } from './audit.js';
import { addNote, confirmKit, createShare, createTeam, itemButton, PASSWORD, synced } from './helpers.js';
import { appUrl } from './ports.js';
import { shot } from './screens.js';

const TEAM = 'Kanzlei Berger & Partner';
const OWNER = 'Anna Berger';
const COLLEAGUE = 'Bernd Kollege';
const SHARE = 'Mandat Schubert';
const NOTE_TITLE = 'Übergabe Akte Schubert';
const NOTE_BODY = 'Originale liegen im Schrank 3, Fach B.';

async function openTeamScreen(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Team' }).click();
  await expect(page.getByRole('heading', { level: 2, name: `Team: ${TEAM}` })).toBeVisible();
}

function person(page: Page, name: string) {
  return page.getByRole('region', { name: 'People' }).getByTestId('person-row').filter({ hasText: name });
}

test('a colleague joins by invitation link, is confirmed, reads a shared note, and is cut off when removed', async ({ browser }) => {
  const ownerCtx = await browser.newContext();
  const colleagueCtx = await browser.newContext(); // a fresh profile: nothing shared with the owner's
  const ownerNet = recordNetwork(ownerCtx);
  const colleagueNet = recordNetwork(colleagueCtx);
  const owner = await ownerCtx.newPage();
  const colleague = await colleagueCtx.newPage();

  // The owner creates the team and invites a colleague from the Team screen.
  await createTeam(owner, '', { team: TEAM, you: OWNER });
  await openTeamScreen(owner);
  await expect(person(owner, OWNER)).toContainText('you');
  await expect(person(owner, OWNER)).toContainText('Owner');
  await owner.getByLabel('Role in the team').selectOption({ label: 'Member' });
  await owner.getByLabel('Valid for (hours)').fill('24');
  await owner.getByRole('button', { name: 'Create invitation' }).click();
  const linkText = owner.getByTestId('team-invite-link');
  await expect(linkText).toContainText('truhe://team?');
  await expect(owner.getByTestId('team-invite-code')).toContainText(/^TRI-/);
  await expect(owner.getByRole('img', { name: 'QR code of the team invitation link' })).toBeVisible();
  await expect(owner.getByTestId('team-invitation-row')).toHaveAttribute('data-state', 'live');
  await shot(owner, 'team-invite');
  const link = (await linkText.textContent()) ?? '';

  // While the owner's client is offline, the colleague's join has to wait for an admin.
  await ownerCtx.setOffline(true);
  await expect(owner.getByRole('status', { name: 'Sync status' })).toHaveAttribute('data-connection', /offline|connecting/);

  await colleague.goto(appUrl());
  await colleague.getByRole('button', { name: /Join my team with an invitation/ }).click();
  await colleague.getByLabel('Team invitation link').fill(link);
  await expect(colleague.getByLabel('Choose a password')).toHaveCount(0);
  await colleague.getByRole('button', { name: 'Show invitation' }).click();
  // Who invites to which team, shown before any password is created.
  await expect(colleague.getByTestId('invitation-preview')).toContainText(`${OWNER} invites you to ${TEAM} as Member`);
  await shot(colleague, 'join-team-preview');
  await colleague.getByLabel('Your name', { exact: true }).fill(COLLEAGUE);
  await colleague.getByLabel('Choose a password').fill(PASSWORD);
  await colleague.getByLabel('Repeat the password').fill(PASSWORD);
  await colleague.getByRole('button', { name: 'Join team' }).click();
  await confirmKit(colleague);
  await expect(colleague.getByRole('heading', { name: 'Waiting for an admin to confirm' })).toBeVisible();
  await shot(colleague, 'join-team-waiting');

  // The owner's open client comes back online and confirms the join by itself.
  await ownerCtx.setOffline(false);
  await synced(owner);
  await expect(colleague.getByRole('heading', { name: 'Waiting for an admin to confirm' })).toHaveCount(0, { timeout: 60_000 });
  await expect(person(owner, COLLEAGUE)).toContainText('Member');
  await expect(owner.getByTestId('team-invitation-row')).toHaveAttribute('data-state', 'used');

  // Both see each other's names on the Team screen.
  await openTeamScreen(colleague);
  await expect(person(colleague, OWNER)).toContainText('Owner');
  await expect(person(colleague, COLLEAGUE)).toContainText('you');
  await shot(colleague, 'team-colleague');

  // The owner shares with the colleague, picked by name, as editor, and writes a note.
  await owner.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Vault' }).click();
  await createShare(owner, SHARE);
  await owner.getByRole('button', { name: 'Share settings' }).click();
  await owner.getByLabel('Person', { exact: true }).selectOption({ label: COLLEAGUE });
  await owner.getByLabel('Role', { exact: true }).selectOption({ label: 'Editor' });
  await owner.getByRole('button', { name: 'Add member' }).click();
  await expect(owner.getByTestId('member-row').filter({ hasText: COLLEAGUE })).toBeVisible();
  await owner.getByRole('button', { name: '← Back' }).click();
  await addNote(owner, NOTE_TITLE, NOTE_BODY);
  await synced(owner);

  // The colleague accepts the share (if asked) and reads the note.
  await colleague.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Vault' }).click();
  const invitations = colleague.getByRole('region', { name: 'Invitations' });
  const shareButton = colleague.getByRole('navigation', { name: 'Shares' }).getByRole('button', { name: SHARE });
  await expect(invitations.getByTestId('invitation').or(shareButton).first()).toBeVisible({ timeout: 60_000 });
  if (await invitations.getByTestId('invitation').isVisible()) {
    await expect(invitations).toContainText(`${OWNER} added you as Editor`);
    await invitations.getByRole('button', { name: `Accept (${OWNER})` }).click();
  } else {
    await shareButton.click();
  }
  await expect(colleague.getByRole('heading', { level: 1, name: SHARE })).toBeVisible();
  await itemButton(colleague, NOTE_TITLE).click();
  await expect(colleague.getByRole('textbox', { name: 'Note', exact: true })).toHaveValue(NOTE_BODY);

  // The owner removes the colleague from the team; the colleague is cut off with a clear screen.
  await openTeamScreen(owner);
  await owner.getByRole('button', { name: `Remove ${COLLEAGUE} from the team` }).click();
  const dialog = owner.getByRole('alertdialog');
  await expect(dialog).toContainText(`Remove ${COLLEAGUE} from the team?`);
  await expect(dialog.getByLabel(/Also wipe their devices/)).not.toBeChecked();
  await dialog.getByRole('button', { name: 'Remove from team' }).click();
  await expect(owner.getByRole('status').filter({ hasText: `${COLLEAGUE} was removed from the team.` })).toBeVisible();

  await expect(colleague.getByRole('heading', { level: 1, name: 'You were removed from this team' })).toBeVisible({ timeout: 60_000 });
  await expect(colleague.getByRole('alert')).toHaveAttribute('data-error-code', 'MEMBER_REMOVED');
  await expect(colleague.getByRole('alert')).toContainText('This device can no longer read the team’s shares');
  await shot(colleague, 'team-removed');
  const left = await colleague.locator('body').innerText();
  for (const secret of [NOTE_TITLE, NOTE_BODY, SHARE]) expect(left).not.toContain(secret);

  expect(ownerNet.foreign()).toEqual([]);
  expect(colleagueNet.foreign()).toEqual([]);
  await ownerCtx.close();
  await colleagueCtx.close();
});

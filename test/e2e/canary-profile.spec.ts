/**
 * Canary sweep of the browser profile (R4, R6): a note, a file name and file content carrying a
 * unique marker are written through the real UI into Chromium's real IndexedDB; then every byte
 * of the on-disk profile (IndexedDB, Local Storage, caches, …) is scanned. The marker must not
 * appear in any encoding. A control value the page stores in localStorage in plaintext must be
 * found by the same scan, so the scan is able to fail.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, expect, test } from '@playwright/test';
import { addNote, createShare, createTeam, itemButton, synced } from './helpers.js';
import { WEB_URL } from './ports.js';

const MARKER = `Kanarienvogel${Date.now().toString(36)}Q7`;
const CONTROL = `Kontrollwert${Date.now().toString(36)}Z3`;

function encodings(s: string): Buffer[] {
  const utf8 = Buffer.from(s, 'utf8');
  const out = [utf8, Buffer.from(s, 'utf16le'), Buffer.from(utf8.toString('hex'))];
  for (let shift = 0; shift < 3; shift++) {
    // base64 / base64url of the marker at each of the three alignments (inner, stable part)
    const b = Buffer.concat([Buffer.alloc(shift, 0x20), utf8]).toString('base64');
    const inner = b.slice(Math.ceil((shift * 4) / 3) + 2, -4);
    out.push(Buffer.from(inner), Buffer.from(inner.replace(/\+/g, '-').replace(/\//g, '_')));
  }
  return out;
}

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    let st;
    try {
      st = statSync(p);
    } catch {
      continue; // a lock file vanished while scanning
    }
    if (st.isDirectory()) yield* files(p);
    else if (st.isFile()) yield p;
  }
}

function scan(dir: string, needle: string): { hits: string[]; indexedDbBytes: number; filesScanned: number } {
  const needles = encodings(needle);
  const hits: string[] = [];
  let indexedDbBytes = 0;
  let filesScanned = 0;
  for (const f of files(dir)) {
    const bytes = readFileSync(f);
    filesScanned++;
    if (f.includes('IndexedDB')) indexedDbBytes += bytes.length;
    if (needles.some((n) => bytes.includes(n))) hits.push(f);
  }
  return { hits, indexedDbBytes, filesScanned };
}

test('no plaintext marker anywhere in the Chromium profile after notes and files are stored', async () => {
  const profile = mkdtempSync(join(tmpdir(), 'truhe-e2e-profile-'));
  const executablePath = existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
  const context = await chromium.launchPersistentContext(profile, {
    headless: true,
    baseURL: WEB_URL,
    ...(executablePath ? { executablePath } : {}),
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await createTeam(page);
    await createShare(page, `Akte ${MARKER}`);
    await addNote(page, `Titel ${MARKER}`, `Inhalt ${MARKER} vertraulich`);
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Add files…' }).click();
    await (await chooser).setFiles({ name: `${MARKER}.txt`, mimeType: 'text/plain', buffer: Buffer.from(`Dateiinhalt ${MARKER}\n`.repeat(200)) });
    await expect(itemButton(page, `${MARKER}.txt`)).toBeVisible();
    await synced(page);
    await page.evaluate((v) => localStorage.setItem('truhe.e2e.control', v), CONTROL);
  } finally {
    await context.close(); // flushes IndexedDB and Local Storage to disk
  }

  const control = scan(profile, CONTROL);
  expect(control.hits.length, 'the scan must see the profile storage (control value)').toBeGreaterThan(0);
  const result = scan(profile, MARKER);
  expect(result.filesScanned).toBeGreaterThan(10);
  expect(result.indexedDbBytes, 'the vault wrote its ciphertext into IndexedDB').toBeGreaterThan(4096);
  expect(result.hits).toEqual([]);
  rmSync(profile, { recursive: true, force: true });
});

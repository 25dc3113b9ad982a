/**
 * UI benchmark (issue 19): Playwright drives the built web client (dist-web, served with the
 * app's CSP) in Debian's Chromium against a real relay. A share is seeded with N notes through
 * the core in Node (production Argon2id cost); the browser then signs in as a new device,
 * searches, scrolls, saves, locks and unlocks, and imports a file picked from disk. Every figure
 * is measured in the page (performance.now, PerformanceObserver for long tasks) and printed with
 * its goal. N = 10 000 (BENCH_QUICK=1: 2 000 notes, 128 MiB file instead of 1 GiB).
 * Run it alone on the shared machine: `flock /tmp/truhe-suite.lock npm run bench` (it starts
 * Chromium); ports 47432-47433 (BENCH_UI_PORT moves them).
 */
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import type { BenchOptions, BenchRow } from './run.js';
import { buildWeb, expectedMatches, PASSWORD, RELAY_PORT, seed, serveWeb, WEB_PORT } from './ui/setup.js';
import { clickAndWatchList, initScript, longTasksSince, marks, profiled, scrollList, searchKeystrokes, watchSave } from './ui/probes.js';

const MiB = 1024 * 1024;
const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN; };
const load = () => loadavg().map((x) => x.toFixed(1)).join('/');

type Add = (name: string, value: number, unit: string, goal: string, note?: string) => void;

/** Types the password key by key as a fast typist would (80 ms a key); the figures start at the click after it. */
async function typePassword(page: Page): Promise<void> {
  await page.getByLabel('Password').pressSequentially(PASSWORD, { delay: 80 });
}

async function signIn(page: Page, kit: { teamId: string; accountId: string; secretKey: string }, total: number, add: Add): Promise<void> {
  await page.goto(`http://127.0.0.1:${WEB_PORT}/index.html?relay=${encodeURIComponent(`ws://127.0.0.1:${RELAY_PORT}`)}`);
  await page.getByRole('button', { name: /Sign in on a new device/ }).click();
  await page.getByLabel('Team id').fill(kit.teamId);
  await page.getByLabel('Account id').fill(kit.accountId);
  await page.getByLabel('Secret Key').fill(kit.secretKey);
  await typePassword(page);
  await clickAndWatchList(page, 'signin', 'Sign in', total);
  const m = await marks(page);
  const kdf = await longestBefore(page, m['signin:start']!, m['signin:view']!);
  add(`new device sign-in → first rows, ${total} notes`, (m['signin:first']! - m['signin:start']!) / 1000, 's', '< 5 s', `production Argon2id, pull, verify, decrypt; vault view at ${((m['signin:view']! - m['signin:start']!) / 1000).toFixed(2)} s; longest main-thread task before it ${kdf.toFixed(0)} ms; load ${load()}`);
  add(`new device sign-in → all ${total} rows listed`, (m['signin:all']! - m['signin:start']!) / 1000, 's', '< 15 s');
}

/** The longest long task that started between `from` and `to` (page time), 0 if none. */
async function longestBefore(page: Page, from: number, to: number): Promise<number> {
  await page.waitForTimeout(100); // let the observer deliver
  const lt = await page.evaluate(({ from, to }) => window.__bench.longtasks.filter((t) => t.start >= from && t.start <= to).map((t) => t.duration), { from, to });
  return lt.length ? Math.max(...lt) : 0;
}

async function search(page: Page, n: number, add: Add): Promise<void> {
  const all: number[] = [];
  const notes: string[] = [];
  for (const text of ['vertragsentwurf', 'akte 12']) {
    const runs = await searchKeystrokes(page, text);
    for (const r of runs) {
      const want = expectedMatches(n, r.query);
      if (r.shown !== want) throw new Error(`search "${r.query}": the list shows ${r.shown} items, ${want} match`);
    }
    all.push(...runs.map((r) => r.ms));
    notes.push(`"${text}" (${expectedMatches(n, text)} hits) max ${Math.max(...runs.map((r) => r.ms)).toFixed(0)} ms`);
  }
  add(`search keystroke → results, titles and note bodies, ${n} items, p95`, pct(all, 95), 'ms', '< 50 ms', `${all.length} keystrokes typed and deleted; ${notes.join('; ')}; counts checked`);
  add('search keystroke → results, p50', pct(all, 50), 'ms', '');
}

async function scroll(page: Page, n: number, add: Add): Promise<void> {
  const frames = 300;
  const r = await scrollList(page, 2000, frames);
  const max = r.longtasks.length ? Math.max(...r.longtasks) : 0;
  add(`scrolling the ${n}-item list: longest long task`, max, 'ms', 'no long task > 50 ms', `${r.longtasks.length} long tasks in ${frames} frames of 2000 px (${(r.scrolled / 1000).toFixed(0)}k px); frame p99 ${r.frameP99.toFixed(1)} ms, max ${r.maxFrame.toFixed(1)} ms`);
}

async function save(page: Page, n: number, add: Add): Promise<void> {
  // As the issue's probe: open an item, then create a new note and type until "Saved".
  await page.locator('.items-scroll li .item').first().click();
  await page.locator('[data-save-state="saved"]').waitFor();
  await page.getByRole('button', { name: 'New note' }).click();
  const local: number[] = [];
  const relay: number[] = [];
  const rounds = 5;
  for (let i = 0; i < rounds; i++) {
    await watchSave(page, i);
    await page.getByRole('textbox', { name: 'Title', exact: true }).pressSequentially(i === 0 ? 'Neue Akte' : ` ${i}`);
    await page.waitForFunction((p) => (window.__bench.marks[`${p}:saved`] ?? -1) > 0, `save${i}`, { timeout: 60_000 });
    await page.waitForFunction((p) => window.__bench.marks[`${p}:acked`] !== undefined, `save${i}`, { timeout: 10_000 }).catch(() => undefined);
    const m = await marks(page);
    local.push(m[`save${i}:saved`]! - m[`save${i}:saving`]!);
    if (m[`save${i}:acked`] !== undefined) relay.push(m[`save${i}:acked`]! - m[`save${i}:saving`]!);
  }
  add(`save a note in the ${n}-note share until "Saved" (median of ${rounds})`, pct(local, 50), 'ms', '< 100 ms', `max ${Math.max(...local).toFixed(0)} ms; from the autosave's start (after the 600 ms typing pause)`);
  add(`save until the relay acknowledged (median of ${relay.length})`, pct(relay, 50), 'ms', '< 250 ms', relay.length ? `max ${Math.max(...relay).toFixed(0)} ms; loopback relay` : 'no acknowledgement seen');
}

async function unlock(page: Page, total: number, add: Add): Promise<void> {
  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  await page.getByRole('heading', { name: 'Unlock Truhe' }).waitFor();
  await typePassword(page);
  await clickAndWatchList(page, 'unlock', 'Unlock', total);
  const m = await marks(page);
  const kdf = await longestBefore(page, m['unlock:start']!, m['unlock:view']!);
  add(`unlock (production Argon2id) → first rows, ${total} items`, (m['unlock:first']! - m['unlock:start']!) / 1000, 's', '< 2 s', `vault view at ${((m['unlock:view']! - m['unlock:start']!) / 1000).toFixed(2)} s; longest main-thread task before it ${kdf.toFixed(0)} ms (Argon2id runs in a Worker); load ${load()}`);
  add(`unlock → full list ready and searchable, ${total} items`, (m['unlock:all']! - m['unlock:start']!) / 1000, 's', '< 3 s', 'sealed local summary index');
}

/** A file of `size` bytes on disk (4 MiB pieces of a fixed pattern), as the user picks it. */
function fileOnDisk(dir: string, size: number): string {
  const path = join(dir, 'Scan-Archiv.bin');
  const piece = new Uint8Array(4 * MiB).map((_, i) => (i * 2654435761) >>> 24);
  const fd = openSync(path, 'w');
  try {
    for (let done = 0; done < size; done += piece.length) writeSync(fd, piece, 0, Math.min(piece.length, size - done));
  } finally {
    closeSync(fd);
  }
  return path;
}

/** Picks a file from disk with "Add files…" (a disk-backed File, as a user's), until it is listed and uploaded. */
async function importPick(page: Page, path: string, size: number, totalBefore: number, add: Add): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Add files…' }).click();
  const picked = await chooser;
  const t0 = await page.evaluate(() => performance.now());
  await picked.setFiles(path);
  // Done when the item is listed and no upload is shown; an error banner ends the wait at once.
  const outcome = await page.waitForFunction((n) => {
    const banner = document.querySelector<HTMLElement>('[role=alert][data-error-code]');
    if (banner) return `error ${banner.dataset.errorCode}: ${banner.textContent}`;
    return Number(document.querySelector<HTMLElement>('[data-testid=item-count]')?.dataset.total) > n && !document.querySelector('.uploads') ? 'ok' : false;
  }, totalBefore, { timeout: 1_800_000, polling: 500 });
  const how = await outcome.jsonValue();
  if (how !== 'ok') throw new Error(`import of ${size / MiB} MiB failed: ${how}`);
  const t1 = await page.evaluate(() => performance.now());
  await page.waitForFunction(() => document.querySelector<HTMLElement>('[data-pending]')?.dataset.pending === '0', undefined, { timeout: 1_800_000, polling: 500 });
  const t2 = await page.evaluate(() => performance.now());
  const lt = await longTasksSince(page, t0);
  add(`UI main thread during a ${size / MiB} MiB import: longest long task`, lt.length ? Math.max(...lt) : 0, 'ms', 'no long task > 50 ms',
    `${lt.length} long tasks; import ${(size / MiB / ((t1 - t0) / 1000)).toFixed(1)} MB/s, uploaded at ${((t2 - t0) / 1000).toFixed(1)} s (${(size / MiB / ((t2 - t0) / 1000)).toFixed(1)} MB/s) in Chromium`);
}

export async function run(opts: BenchOptions): Promise<BenchRow[]> {
  const n = Number(process.env.BENCH_UI_N ?? (opts.quick ? 2000 : 10_000));
  const rows: BenchRow[] = [];
  const add: Add = (name, value, unit, goal, note) => rows.push({ bench: 'ui', name, value, unit, ...(goal ? { goal } : {}), ...(note ? { note } : {}) });
  buildWeb();
  const seeded = await seed(n);
  rows.push({ bench: 'ui', name: `seed ${n} notes through the core (Node) and push them`, value: seeded.seedSeconds, unit: 's', note: `load ${load()}` });
  const web = await serveWeb(seeded.relay.url);
  // A persistent profile, as Electron's and a browser's own: IndexedDB and Blobs may spill to disk
  // (a private context keeps them in memory only, which a 1 GiB import outgrows).
  const dir = mkdtempSync(join(tmpdir(), 'truhe-bench-ui-'));
  const context = await chromium.launchPersistentContext(join(dir, 'profile'), {
    headless: true, ...(existsSync('/usr/bin/chromium') ? { executablePath: '/usr/bin/chromium' } : {}),
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 900 },
  });
  try {
    const page = context.pages()[0] ?? await context.newPage();
    // tsx (esbuild keepNames) wraps named functions in `__name(...)`; give the page a no-op one.
    await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
    await page.addInitScript(initScript);
    if (process.env.BENCH_UI_CONSOLE === '1') { // developer aid: the page's console and errors on stderr
      page.on('console', (m) => process.stderr.write(`page ${m.type()}: ${m.text()}\n`));
      page.on('pageerror', (e) => process.stderr.write(`page error: ${e.stack ?? e.message}\n`));
    }
    await profiled(page, 'signin', () => signIn(page, seeded.kit, n, add));
    await page.waitForTimeout(3000); // the sealed summary index is written 1.5 s after the list settles
    await profiled(page, 'search', () => search(page, n, add));
    await profiled(page, 'scroll', () => scroll(page, n, add));
    await profiled(page, 'save', () => save(page, n, add));
    await page.waitForTimeout(3000);
    await profiled(page, 'unlock', () => unlock(page, n + 1, add));
    const size = Number(process.env.BENCH_UI_FILE_MIB ?? (opts.quick ? 128 : 1024)) * MiB;
    await profiled(page, 'import', () => importPick(page, fileOnDisk(dir, size), size, n + 1, add));
  } finally {
    await context.close();
    rmSync(dir, { recursive: true, force: true });
    web.kill('SIGTERM');
    await seeded.vault.lock().catch(() => undefined);
    await seeded.relay.stop();
  }
  return rows;
}

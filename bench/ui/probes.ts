/**
 * In-page measurements of the UI bench. Every time is the page's own `performance.now()`; a
 * figure ends at the animation frame after the DOM shows the result (the frame that paints it).
 * Long tasks come from a PerformanceObserver installed before the app starts.
 */
import type { Page } from '@playwright/test';

declare global {
  interface Window {
    __bench: { marks: Record<string, number>; longtasks: { start: number; duration: number }[] };
  }
}

/** Installed with page.addInitScript: long-task observer and the marks table. */
export function initScript(): void {
  window.__bench = { marks: {}, longtasks: [] };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__bench.longtasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
}

/**
 * Starts watching for `${phase}:first` (a row of the list in the DOM) and `${phase}:all` (the
 * list counts `total` items), then clicks the button named `button` and marks `${phase}:start`.
 */
export async function clickAndWatchList(page: Page, phase: string, button: string, total: number): Promise<void> {
  await page.evaluate(({ phase, button, total }) => {
    const B = window.__bench;
    const mark = (k: string) => {
      if (B.marks[k] !== undefined) return;
      requestAnimationFrame(() => { B.marks[k] ??= performance.now(); });
    };
    const check = () => {
      if (document.querySelector('main.share-view')) mark(`${phase}:view`);
      if (document.querySelector('.items-scroll li .item')) mark(`${phase}:first`);
      const c = document.querySelector<HTMLElement>('[data-testid=item-count]');
      if (c && Number(c.dataset.total) >= total) mark(`${phase}:all`);
      if (B.marks[`${phase}:all`] !== undefined) obs.disconnect();
    };
    const obs = new MutationObserver(check);
    obs.observe(document.body, { subtree: true, childList: true, attributes: true });
    const b = [...document.querySelectorAll('button')].find((x) => x.textContent?.trim() === button);
    if (!b) throw new Error(`no button ${button}`);
    B.marks[`${phase}:start`] = performance.now();
    b.click();
  }, { phase, button, total });
  await page.waitForFunction((k) => window.__bench.marks[k] !== undefined, `${phase}:all`, { timeout: 600_000, polling: 200 });
}

export async function marks(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => ({ ...window.__bench.marks }));
}

/**
 * Types `text` into the search box one key at a time (real key events), then deletes it again
 * with Backspace. Per keystroke: keydown → the frame after the list shows that query's results.
 * Returns the times and the count shown for each query (the caller checks them).
 */
export async function searchKeystrokes(page: Page, text: string): Promise<{ query: string; ms: number; shown: number }[]> {
  const box = page.getByRole('searchbox');
  await box.click();
  await page.evaluate(() => {
    const input = document.querySelector<HTMLInputElement>('input[type=search]')!;
    input.addEventListener('keydown', () => { window.__bench.marks.key = performance.now(); }, true);
  });
  const keys = [...text].concat([...text].map(() => 'Backspace'));
  const out: { query: string; ms: number; shown: number }[] = [];
  for (const k of keys) {
    await page.keyboard.press(k === ' ' ? 'Space' : k);
    const r = await page.waitForFunction(() => {
      const input = document.querySelector<HTMLInputElement>('input[type=search]')!;
      const c = document.querySelector<HTMLElement>('[data-testid=item-count]')!;
      if (c.dataset.query !== input.value || c.getAttribute('aria-busy') === 'true') return false;
      return { query: input.value, ms: performance.now() - window.__bench.marks.key!, shown: Number(c.dataset.shown) };
    }, undefined, { polling: 'raf', timeout: 60_000 });
    out.push((await r.jsonValue()) as { query: string; ms: number; shown: number });
  }
  return out;
}

/** Scrolls the list by `step` px per frame for `frames` frames; long tasks and frame gaps meanwhile. */
export async function scrollList(page: Page, step: number, frames: number): Promise<{ longtasks: number[]; frameP99: number; maxFrame: number; scrolled: number }> {
  return page.evaluate(async ({ step, frames }) => {
    const el = document.querySelector<HTMLElement>('.items-scroll')!;
    el.scrollTop = 0;
    await new Promise((r) => requestAnimationFrame(r));
    const t0 = performance.now();
    const gaps: number[] = [];
    let last = t0;
    for (let i = 0; i < frames; i++) {
      el.scrollTop += step;
      const now = await new Promise<number>((r) => requestAnimationFrame(r));
      gaps.push(now - last);
      last = now;
    }
    await new Promise((r) => setTimeout(r, 100)); // let the observer deliver the last entries
    const longtasks = window.__bench.longtasks.filter((t) => t.start >= t0 && t.start <= last).map((t) => t.duration);
    gaps.sort((a, b) => a - b);
    return { longtasks, frameP99: gaps[Math.ceil(gaps.length * 0.99) - 1]!, maxFrame: gaps[gaps.length - 1]!, scrolled: el.scrollTop };
  }, { step, frames });
}

/**
 * Watches the note editor's save state and the sync status: `save:saving`, `save:saved` (the
 * frame after "Saved" shows) and `save:acked` (the relay acknowledged: nothing pending).
 */
export async function watchSave(page: Page, round: number): Promise<void> {
  await page.evaluate((round) => {
    const B = window.__bench;
    const p = `save${round}`;
    const obs = new MutationObserver(() => {
      const st = document.querySelector<HTMLElement>('[data-save-state]')?.dataset.saveState;
      const pending = document.querySelector<HTMLElement>('[data-pending]')?.dataset.pending;
      if (st === 'saving') B.marks[`${p}:saving`] ??= performance.now();
      if (B.marks[`${p}:saving`] !== undefined && pending !== undefined && pending !== '0') B.marks[`${p}:pending`] ??= performance.now();
      if (st === 'saved' && B.marks[`${p}:saving`] !== undefined && B.marks[`${p}:saved`] === undefined) {
        B.marks[`${p}:saved`] = -1;
        requestAnimationFrame(() => { B.marks[`${p}:saved`] = performance.now(); });
      }
      if (B.marks[`${p}:pending`] !== undefined && pending === '0') B.marks[`${p}:acked`] ??= performance.now();
      if (B.marks[`${p}:acked`] !== undefined && (B.marks[`${p}:saved`] ?? -1) > 0) obs.disconnect();
    });
    obs.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-save-state', 'data-pending'] });
  }, round);
}

/** Long tasks that started at or after `since` (page time). */
export async function longTasksSince(page: Page, since: number): Promise<number[]> {
  return page.evaluate((since) => window.__bench.longtasks.filter((t) => t.start >= since).map((t) => t.duration), since);
}

/**
 * Developer aid (BENCH_UI_PROFILE=<phase>): a CPU profile of the page around `fn`, summarised as
 * the functions with the most self time (printed to stderr, not a bench row).
 */
export async function profiled<T>(page: Page, phase: string, fn: () => Promise<T>): Promise<T> {
  if (!(process.env.BENCH_UI_PROFILE ?? '').split(',').includes(phase)) return fn();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  const out = await fn();
  const { profile } = await cdp.send('Profiler.stop');
  const self = new Map<string, number>();
  const dt = new Map<number, number>();
  profile.samples?.forEach((id, i) => dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas?.[i] ?? 0)));
  for (const n of profile.nodes) {
    const f = n.callFrame;
    const k = `${f.functionName || '(anon)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
    self.set(k, (self.get(k) ?? 0) + (dt.get(n.id) ?? 0));
  }
  const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 30);
  process.stderr.write(`profile ${phase}:\n${top.map(([k, us]) => `  ${(us / 1000).toFixed(1).padStart(8)} ms  ${k}`).join('\n')}\n`);
  process.stderr.write(busyStretches(profile));
  return out;
}

/** The stretches of the profile without an idle sample that last over 50 ms (long tasks), each with its top functions. */
function busyStretches(profile: { nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[]; samples?: number[]; timeDeltas?: number[] }): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const name = (id: number) => { const f = byId.get(id)!.callFrame; return `${f.functionName || '(anon)'} ${f.url.split('/').pop()}:${f.lineNumber}`; };
  const out: string[] = [];
  let t = 0;
  let start = -1;
  let acc = new Map<string, number>();
  const samples = profile.samples ?? [];
  samples.forEach((id, i) => {
    const dt = profile.timeDeltas?.[i] ?? 0;
    t += dt;
    const n = name(id);
    if (n.startsWith('(idle)')) {
      if (start >= 0 && t - start > 50_000) out.push(`  busy ${((t - start) / 1000).toFixed(0)} ms at ${(start / 1000).toFixed(0)} ms: ${[...acc].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([k, us]) => `${k} ${(us / 1000).toFixed(1)}`).join(', ')}`);
      start = -1;
      acc = new Map();
    } else {
      if (start < 0) start = t;
      acc.set(n, (acc.get(n) ?? 0) + dt);
    }
  });
  return out.length ? `long busy stretches:\n${out.join('\n')}\n` : 'no busy stretch over 50 ms\n';
}

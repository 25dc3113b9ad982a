/**
 * renderer/app/clipboard.ts: a copied secret is cleared after the timeout only while the
 * clipboard still holds it; the timeout can be shortened from the URL but never lengthened.
 * The clipboard here stands in for the OS one (a string); timers are driven by hand.
 */
import { describe, expect, it } from 'vitest';
import { CLIPBOARD_CLEAR_SECONDS, clipboardClearSeconds, copyThenClear } from '../../../renderer/app/clipboard.js';

function osClipboard() {
  const c = { text: '', clearIf: async (t: string) => (c.text === t ? ((c.text = ''), true) : false), write: async (t: string) => void (c.text = t) };
  return c;
}
function manualTimers() {
  const due: Array<{ fn: () => void; ms: number; live: boolean }> = [];
  return {
    due,
    set: (fn: () => void, ms: number) => (due.push({ fn, ms, live: true }), due.length - 1),
    clear: (h: unknown) => void (due[h as number] && (due[h as number]!.live = false)),
    fire: () => due.filter((d) => d.live).forEach((d) => ((d.live = false), d.fn())),
  };
}

describe('copyThenClear', () => {
  it('clears the secret after the timeout', async () => {
    const clip = osClipboard();
    const timers = manualTimers();
    const c = await copyThenClear(clip, 'A3-SECRET', 60, timers);
    expect(clip.text).toBe('A3-SECRET');
    expect(timers.due[0]!.ms).toBe(60_000);
    timers.fire();
    expect(await c.cleared).toBe(true);
    expect(clip.text).toBe('');
  });

  it('leaves text the person copied since', async () => {
    const clip = osClipboard();
    const timers = manualTimers();
    const c = await copyThenClear(clip, 'A3-SECRET', 60, timers);
    clip.text = 'an address from an e-mail';
    timers.fire();
    expect(await c.cleared).toBe(false);
    expect(clip.text).toBe('an address from an e-mail');
  });

  it('clearNow clears at once and the timer then does nothing', async () => {
    const clip = osClipboard();
    const timers = manualTimers();
    const c = await copyThenClear(clip, 'TRS1-CODE', 60, timers);
    expect(await c.clearNow()).toBe(true);
    expect(timers.due.every((d) => !d.live)).toBe(true);
    clip.text = 'later';
    expect(await c.clearNow()).toBe(true); // settled once; the later text is untouched
    expect(clip.text).toBe('later');
  });

  it('a failing clear resolves false, never rejects', async () => {
    const timers = manualTimers();
    const c = await copyThenClear({ write: async () => undefined, clearIf: async () => Promise.reject(new Error('denied')) }, 'x', 1, timers);
    timers.fire();
    expect(await c.cleared).toBe(false);
  });
});

describe('clipboardClearSeconds', () => {
  it('defaults to 60 s and accepts only a shorter whole number of seconds', () => {
    expect(CLIPBOARD_CLEAR_SECONDS).toBe(60);
    expect(clipboardClearSeconds('')).toBe(60);
    expect(clipboardClearSeconds('?clipboardSeconds=2')).toBe(2);
    for (const bad of ['600', '61', '0', '-1', '1.5', 'x', '']) expect(clipboardClearSeconds(`?clipboardSeconds=${bad}`)).toBe(60);
  });
});

/**
 * renderer/app/clipboard.ts: a copied secret is on the clipboard, and after the timeout the
 * clipboard is emptied only if it still holds that secret (or cannot be read back); the
 * timeout is the caller's, read from `?clipboardClearMs=` within bounds.
 */
import { describe, expect, it } from 'vitest';
import { clipboardClearMs, copySecret, DEFAULT_CLIPBOARD_CLEAR_MS, navigatorClipboard } from '../../../renderer/app/clipboard.js';

/** A clipboard in memory, and timers the test fires by hand (no real waiting). */
function setup(opts: { unreadable?: boolean; refuseWrite?: boolean } = {}) {
  const state = { text: 'before', writes: [] as string[] };
  // navigator.clipboard's two calls, in memory; the port under test is built on them
  const port = navigatorClipboard({
    async writeText(t: string) {
      if (opts.refuseWrite) throw new Error('denied');
      state.text = t;
      state.writes.push(t);
    },
    async readText() {
      if (opts.unreadable) throw new Error('denied');
      return state.text;
    },
  });
  const due: { fn: () => void; ms: number }[] = [];
  const timers = { setTimeout: (fn: () => void, ms: number) => due.push({ fn, ms }) };
  const fire = async () => {
    for (const d of due.splice(0)) d.fn();
    await new Promise((r) => setTimeout(r, 0));
  };
  return { state, platform: { clipboard: port }, timers, due, fire };
}

describe('copySecret', () => {
  it('puts the text on the clipboard and empties it after the timeout when it is unchanged', async () => {
    const t = setup();
    await copySecret(t.platform, 'ABCD-EFGH', { clearAfterMs: 1500, timers: t.timers });
    expect(t.state.text).toBe('ABCD-EFGH');
    expect(t.due.map((d) => d.ms)).toEqual([1500]);
    await t.fire();
    expect(t.state.text).toBe('');
    expect(t.state.writes).toEqual(['ABCD-EFGH', '']);
  });
  it('leaves the clipboard alone when the person copied something else since', async () => {
    const t = setup();
    await copySecret(t.platform, 'ABCD-EFGH', { clearAfterMs: 1500, timers: t.timers });
    t.state.text = 'my own note';
    await t.fire();
    expect(t.state.text).toBe('my own note');
    expect(t.state.writes).toEqual(['ABCD-EFGH']);
  });
  it('two copies: the first timer leaves the second secret, the second timer clears it', async () => {
    const t = setup();
    await copySecret(t.platform, 'first', { clearAfterMs: 1000, timers: t.timers });
    await copySecret(t.platform, 'second', { clearAfterMs: 1000, timers: t.timers });
    const [a, b] = t.due.splice(0);
    a!.fn();
    await new Promise((r) => setTimeout(r, 0));
    expect(t.state.text).toBe('second');
    b!.fn();
    await new Promise((r) => setTimeout(r, 0));
    expect(t.state.text).toBe('');
  });
  it('empties a clipboard it cannot read back; a refused write rejects and schedules nothing', async () => {
    const u = setup({ unreadable: true });
    await copySecret(u.platform, 'secret', { clearAfterMs: 10, timers: u.timers });
    await u.fire();
    expect(u.state.text).toBe('');
    const r = setup({ refuseWrite: true });
    await expect(copySecret(r.platform, 'secret', { clearAfterMs: 10, timers: r.timers })).rejects.toThrow('denied');
    expect(r.due).toEqual([]);
    expect(r.state.text).toBe('before');
  });
});

describe('clipboardClearMs', () => {
  it('takes ?clipboardClearMs= between 100 ms and the default, else the default', () => {
    expect(DEFAULT_CLIPBOARD_CLEAR_MS).toBe(60_000);
    expect(clipboardClearMs('?relay=x&clipboardClearMs=1500')).toBe(1500);
    for (const q of ['', '?clipboardClearMs=99', '?clipboardClearMs=600000', '?clipboardClearMs=1.5', '?clipboardClearMs=abc']) expect(clipboardClearMs(q)).toBe(DEFAULT_CLIPBOARD_CLEAR_MS);
  });
});

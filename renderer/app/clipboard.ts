/**
 * Copying a secret (Secret Key, setup code, access code) to the system clipboard, and clearing it
 * again after a timeout — but only while the clipboard still holds what we put there, so text the
 * person copied since is never thrown away. The one place for this rule; every copy button uses it.
 */
import type { Platform } from '../platform/platform.js';

/** How long a copied secret stays on the clipboard. */
export const CLIPBOARD_CLEAR_SECONDS = 60;

/**
 * `?clipboardSeconds=N` (tests, like `?lockIdleSeconds`): a shorter timeout, 1..60 seconds. It
 * can only clear sooner, never later; anything else gives the default.
 */
export function clipboardClearSeconds(search: string): number {
  const raw = new URLSearchParams(search).get('clipboardSeconds');
  const n = raw === null ? NaN : Number(raw);
  return Number.isInteger(n) && n >= 1 && n <= CLIPBOARD_CLEAR_SECONDS ? n : CLIPBOARD_CLEAR_SECONDS;
}

export interface CopiedSecret {
  /** Resolves when the timeout ran: true if the clipboard was cleared, false if it held other text by then. */
  cleared: Promise<boolean>;
  /** Clears now (if it still holds our text) instead of waiting, e.g. on lock. */
  clearNow(): Promise<boolean>;
}

type Timers = { set(fn: () => void, ms: number): unknown; clear(handle: unknown): void };
const windowTimers: Timers = { set: (fn, ms) => setTimeout(fn, ms), clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) };

/**
 * Writes `text` to the clipboard and schedules its removal after `seconds`. Rejects (as the
 * Platform does) when the clipboard cannot be written; the clear never rejects (false on failure).
 */
export async function copyThenClear(clipboard: Platform['clipboard'], text: string, seconds: number, timers: Timers = windowTimers): Promise<CopiedSecret> {
  await clipboard.write(text);
  let settle!: (v: boolean) => void;
  const cleared = new Promise<boolean>((resolve) => (settle = resolve));
  let done = false;
  const clearNow = async () => {
    if (done) return cleared;
    done = true;
    timers.clear(handle);
    settle(await clipboard.clearIf(text).catch(() => false));
    return cleared;
  };
  const handle = timers.set(() => void clearNow(), seconds * 1000);
  return { cleared, clearNow };
}

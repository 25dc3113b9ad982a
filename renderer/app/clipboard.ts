/**
 * Copying secrets (access codes, join links) to the clipboard and taking them out again: after
 * `clearAfterMs` the clipboard is emptied — but only if it still holds what we put there, so
 * something the person copied since is left alone. When the clipboard cannot be read back
 * (permission refused), it is emptied anyway: a secret left behind is the worse outcome.
 * The timeout comes from the caller (Services.clipboardClearMs; tests shorten it with
 * `?clipboardClearMs=`), never from a switch in the core.
 * The port has the shape of Platform['clipboard'] (`write`, `clearIf`); a Platform without one
 * gets the page's navigator.clipboard.
 */
export interface ClipboardPort {
  write(text: string): Promise<void>;
  /** Empties the clipboard only while it still holds `text` (or cannot be read); true if it did. */
  clearIf(text: string): Promise<boolean>;
}

/** How long a copied secret stays on the clipboard unless the caller says otherwise. */
export const DEFAULT_CLIPBOARD_CLEAR_MS = 60_000;

export interface CopyOptions {
  clearAfterMs: number;
  /** Timer function (tests); default the window's. */
  timers?: { setTimeout(fn: () => void, ms: number): unknown };
}

/** navigator.clipboard as a ClipboardPort (the web platform's clipboard). */
export function navigatorClipboard(c: Pick<Clipboard, 'readText' | 'writeText'>): ClipboardPort {
  return {
    write: (text) => c.writeText(text),
    async clearIf(text) {
      let now: string | null;
      try {
        now = await c.readText();
      } catch {
        now = null; // reading was refused: clear anyway
      }
      if (now !== null && now !== text) return false;
      await c.writeText('');
      return true;
    },
  };
}

function portOf(platform: { clipboard?: ClipboardPort }): ClipboardPort {
  if (platform.clipboard) return platform.clipboard;
  const c = globalThis.navigator?.clipboard;
  if (!c) throw new Error('copySecret: no clipboard available');
  return navigatorClipboard(c);
}

/**
 * Puts `text` on the clipboard and schedules its removal after `clearAfterMs` (see above).
 * Rejects when the clipboard refuses the write (then nothing is scheduled); the clearing never
 * rejects.
 */
export async function copySecret(platform: { clipboard?: ClipboardPort }, text: string, opts: CopyOptions): Promise<void> {
  const port = portOf(platform);
  await port.write(text);
  const timers = opts.timers ?? globalThis;
  timers.setTimeout(() => void port.clearIf(text).catch(() => false), Math.max(0, opts.clearAfterMs));
}

/** `?clipboardClearMs=N` (tests): a shorter clearing delay, 100 ms … the default; else the default. */
export function clipboardClearMs(search: string): number {
  const raw = new URLSearchParams(search).get('clipboardClearMs');
  const n = raw === null ? NaN : Number(raw);
  return Number.isInteger(n) && n >= 100 && n <= DEFAULT_CLIPBOARD_CLEAR_MS ? n : DEFAULT_CLIPBOARD_CLEAR_MS;
}

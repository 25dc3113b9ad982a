/**
 * Copying secrets (access codes, join links) to the clipboard and taking them out again: after
 * `clearAfterMs` the clipboard is emptied — but only if it still holds what we put there, so
 * something the person copied since is left alone. When the clipboard cannot be read back
 * (permission refused), it is emptied anyway: a secret left behind is the worse outcome.
 * The timeout comes from the caller (Services.clipboardClearMs; tests shorten it with
 * `?clipboardClearMs=`), never from a switch in the core.
 */
export interface ClipboardPort {
  writeText(text: string): Promise<void>;
  readText(): Promise<string>;
}

/** How long a copied secret stays on the clipboard unless the caller says otherwise. */
export const DEFAULT_CLIPBOARD_CLEAR_MS = 60_000;

export interface CopyOptions {
  clearAfterMs: number;
  /** Timer functions (tests); default the window's. */
  timers?: { setTimeout(fn: () => void, ms: number): unknown };
}

function portOf(platform: { clipboard?: ClipboardPort }): ClipboardPort {
  if (platform.clipboard) return platform.clipboard;
  const c = globalThis.navigator?.clipboard;
  if (!c) throw new Error('copySecret: no clipboard available');
  return { writeText: (t) => c.writeText(t), readText: () => c.readText() };
}

/** Empties the clipboard if it still holds `text` (or cannot be read). Never throws. */
export async function clearIfUnchanged(port: ClipboardPort, text: string): Promise<void> {
  let now: string | null;
  try {
    now = await port.readText();
  } catch {
    now = null;
  }
  if (now === null || now === text) await port.writeText('').catch(() => undefined);
}

/**
 * Puts `text` on the clipboard and schedules its removal after `clearAfterMs` (see above).
 * Rejects when the clipboard refuses the write (then nothing is scheduled).
 */
export async function copySecret(platform: { clipboard?: ClipboardPort }, text: string, opts: CopyOptions): Promise<void> {
  const port = portOf(platform);
  await port.writeText(text);
  const timers = opts.timers ?? globalThis;
  timers.setTimeout(() => void clearIfUnchanged(port, text), Math.max(0, opts.clearAfterMs));
}

/** `?clipboardClearMs=N` (tests): a shorter clearing delay, 100 ms … the default; else the default. */
export function clipboardClearMs(search: string): number {
  const raw = new URLSearchParams(search).get('clipboardClearMs');
  const n = raw === null ? NaN : Number(raw);
  return Number.isInteger(n) && n >= 100 && n <= DEFAULT_CLIPBOARD_CLEAR_MS ? n : DEFAULT_CLIPBOARD_CLEAR_MS;
}

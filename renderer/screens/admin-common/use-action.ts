/**
 * Runs one async vault call at a time for a screen and keeps its error as a VaultError code,
 * which the screen shows in words (`error.<CODE>`), never as a raw exception.
 *
 * An error stays on screen until the user dismisses it (`clear`) or tries an action again
 * (`run`). A list reload (`load`) never hides it: the reload that follows a failed "add member"
 * used to reset the error, so the failure vanished before anyone could read it (issue 14).
 * With `{ keep: true }` not even a new action hides it: only `clear()` does.
 */
import { useCallback, useState } from 'react';
import { isVaultError } from '../../../core/errors.js';

export interface Action {
  busy: boolean;
  error: string | null;
  /** A user action: clears the previous error (a retry), shows its own failure. */
  run<T>(fn: () => Promise<T>): Promise<T | undefined>;
  /** A (re)load of what the screen lists: shows its failure, never clears an earlier one. */
  load<T>(fn: () => Promise<T>): Promise<T | undefined>;
  clear(): void;
}

export function useAction(opts?: { keep?: boolean }): Action {
  const keep = opts?.keep === true;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const exec = useCallback(async <T,>(fn: () => Promise<T>, retry: boolean): Promise<T | undefined> => {
    setBusy(true);
    if (retry && !keep) setError(null);
    try {
      return await fn();
    } catch (e) {
      setError(isVaultError(e) ? e.code : 'INTERNAL');
      return undefined;
    } finally {
      setBusy(false);
    }
  }, [keep]);
  const run = useCallback(<T,>(fn: () => Promise<T>) => exec(fn, true), [exec]);
  const load = useCallback(<T,>(fn: () => Promise<T>) => exec(fn, false), [exec]);
  const clear = useCallback(() => setError(null), []);
  return { busy, error, run, load, clear };
}

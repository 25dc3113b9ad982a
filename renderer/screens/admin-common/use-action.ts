/**
 * Runs one async vault call at a time for a screen and keeps its error as a VaultError code,
 * which the screen shows in words (`error.<CODE>`), never as a raw exception.
 * With `{ keep: true }` an error stays until `clear()` (the user dismissed it), even when later
 * calls succeed — for screens where a refresh right after a failed act would hide the failure.
 */
import { useCallback, useState } from 'react';
import { isVaultError } from '../../../core/errors.js';

export interface Action {
  busy: boolean;
  error: string | null;
  run<T>(fn: () => Promise<T>): Promise<T | undefined>;
  clear(): void;
}

export function useAction(opts?: { keep?: boolean }): Action {
  const keep = opts?.keep === true;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(async <T,>(fn: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    if (!keep) setError(null);
    try {
      return await fn();
    } catch (e) {
      setError(isVaultError(e) ? e.code : 'INTERNAL');
      return undefined;
    } finally {
      setBusy(false);
    }
  }, [keep]);
  return { busy, error, run, clear: () => setError(null) };
}

/**
 * Runs one async vault call at a time for a screen and keeps its error as a VaultError code,
 * which the screen shows in words (`error.<CODE>`), never as a raw exception.
 */
import { useCallback, useState } from 'react';
import { isVaultError } from '../../../core/errors.js';

export interface Action {
  busy: boolean;
  error: string | null;
  run<T>(fn: () => Promise<T>): Promise<T | undefined>;
  clear(): void;
}

export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(async <T,>(fn: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(null);
    try {
      return await fn();
    } catch (e) {
      setError(isVaultError(e) ? e.code : 'INTERNAL');
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run, clear: () => setError(null) };
}

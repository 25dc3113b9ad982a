/** A form's busy flag and its last error code, for the pre-vault screens. */
import { useCallback, useState } from 'react';
import { isVaultError, type VaultErrorCode } from '../../core/errors.js';

export function useBusy(): {
  busy: boolean;
  error: VaultErrorCode | null;
  setError: (c: VaultErrorCode | null) => void;
  run: (fn: () => Promise<void>) => Promise<void>;
} {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<VaultErrorCode | null>(null);
  const run = useCallback(async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (e) {
      if (!isVaultError(e)) console.error(e);
      setError(isVaultError(e) ? e.code : 'INTERNAL');
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, setError, run };
}

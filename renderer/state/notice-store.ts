/** The notice slice: the last failure of a user action, shown in words (error.<CODE>). */
import { create } from 'zustand';
import { isVaultError, type VaultErrorCode } from '../../core/errors.js';
import { onLock } from './session-store.js';

interface NoticeState {
  code: VaultErrorCode | null;
}

export const useNotice = create<NoticeState>()(() => ({ code: null }));

/** Maps anything thrown to an error code (non-VaultErrors become INTERNAL) and shows it. */
export function showError(e: unknown): VaultErrorCode {
  const code = isVaultError(e) ? e.code : 'INTERNAL';
  if (!isVaultError(e)) console.error(e);
  useNotice.setState({ code });
  return code;
}

export function clearNotice(): void {
  useNotice.setState({ code: null });
}

onLock(clearNotice);

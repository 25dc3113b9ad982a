/**
 * The session slice: which vault is open and the relay's live status. Every screen reads the
 * open VaultApi from here; `lock()` drops it and every decrypted value the other slices hold
 * (they subscribe to `onLock`). Screens never keep keys or plaintext outside zustand slices.
 *
 * A guest whose access ends (code rotated or revoked, blocked, device wiped) is locked out at
 * once: the vault is dropped, every slice cleared, and the screen says why in words. A member
 * is locked out the same way when removed from the team or when the relay says "wipe" without
 * an order this device could verify (nothing is deleted then). A *verified* wipe order
 * (SyncStatus.wipe) keeps the vault open so the user can export before finishWipe().
 */
import { create } from 'zustand';
import type { VaultErrorCode } from '../../core/errors.js';
import type { EmergencyKit, SyncStatus, VaultApi } from '../../core/vault-api.js';
import type { LockReason } from '../platform/platform.js';

export type Screen =
  | 'welcome' | 'create' | 'kit' | 'signin' | 'join' | 'unlock' | 'ended'
  | 'vault' | 'share' | 'activity' | 'devices' | 'account' | 'settings' | 'locked'
  | 'join-team' | 'team';

/** Relay errors after which this session can no longer read anything. */
const FATAL_FOR_GUEST: ReadonlySet<VaultErrorCode> = new Set(['CODE_ROTATED', 'CODE_REVOKED', 'CODE_EXPIRED', 'CODE_INVALID', 'MEMBER_BLOCKED', 'DEVICE_WIPED', 'MEMBER_REMOVED', 'WIPE_UNVERIFIED']);
const FATAL_FOR_MEMBER: ReadonlySet<VaultErrorCode> = new Set(['DEVICE_WIPED', 'MEMBER_REMOVED', 'WIPE_UNVERIFIED']);

export interface SessionState {
  vault: VaultApi | null;
  /** Set once right after team creation, until the user confirms the emergency kit. */
  kit: EmergencyKit | null;
  status: SyncStatus;
  screen: Screen;
  /** The share the vault view, share panel and activity view are showing. */
  currentShare: string | null;
  isGuest: boolean;
  /** Why the last lock happened (shown on the unlock screen). */
  lockReason: LockReason | null;
  /** Why the session ended for good (guest access ended, removed from the team, device wiped, unverified wipe). */
  endedBy: VaultErrorCode | null;
  open(vault: VaultApi, opts?: { kit?: EmergencyKit; guest?: boolean }): void;
  go(screen: Screen, share?: string | null): void;
  lock(reason?: LockReason): Promise<void>;
  /** Drops the vault like lock() and shows the 'ended' screen with the error's words. */
  end(code: VaultErrorCode): Promise<void>;
}

const lockListeners = new Set<() => void>();
/** Other slices register here to clear their decrypted state when the vault locks. */
export function onLock(listener: () => void): () => void {
  lockListeners.add(listener);
  return () => lockListeners.delete(listener);
}

const beforeLockListeners = new Set<() => Promise<unknown>>();
/**
 * Work that must finish while the vault is still open when the user (or the idle timer) locks:
 * the pending autosave. Not run when access ended (`end`): nothing could be written then.
 */
export function onBeforeLock(listener: () => Promise<unknown>): () => void {
  beforeLockListeners.add(listener);
  return () => beforeLockListeners.delete(listener);
}

const offline: SyncStatus = { connection: 'offline', pending: 0, transfers: [] };

export const useSession = create<SessionState>()((set, get) => {
  let unsubscribe: (() => void) | null = null;
  const drop = async (next: Partial<SessionState>) => {
    const vault = get().vault;
    unsubscribe?.();
    unsubscribe = null;
    set({ vault: null, kit: null, status: offline, currentShare: null, ...next });
    for (const l of lockListeners) l();
    await vault?.lock().catch(() => undefined);
  };
  return {
    vault: null,
    kit: null,
    status: offline,
    screen: 'welcome',
    currentShare: null,
    isGuest: false,
    lockReason: null,
    endedBy: null,
    open(vault, opts) {
      unsubscribe?.();
      const guest = opts?.guest ?? false;
      unsubscribe = vault.onStatus((status) => {
        set({ status });
        const code = status.lastError?.code;
        // A verified wipe order waits for the user (export, then "Delete now"): not ended here.
        if (code && !status.wipe && (guest ? FATAL_FOR_GUEST : FATAL_FOR_MEMBER).has(code) && get().vault === vault) void get().end(code);
      });
      set({ vault, kit: opts?.kit ?? null, isGuest: guest, screen: opts?.kit ? 'kit' : 'vault', lockReason: null, endedBy: null });
    },
    go(screen, share) {
      set(share === undefined ? { screen } : { screen, currentShare: share });
    },
    async lock(reason = 'user') {
      if (get().vault) await Promise.all([...beforeLockListeners].map((l) => l().catch(() => undefined)));
      // A guest has no local account to unlock again: back to the start screen.
      await drop({ screen: get().isGuest ? 'welcome' : 'locked', lockReason: reason, isGuest: false });
    },
    async end(code) {
      await drop({ screen: 'ended', endedBy: code, isGuest: false });
    },
  };
});

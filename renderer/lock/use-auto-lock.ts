/**
 * Locks the open vault (R3) after the idle timeout, after the absolute session lifetime
 * (default 180 minutes; both from settings), and on the platform's OS lock events. Uses the
 * shared, pure policy in main/lock-policy.ts. Locking goes through useSession.lock(), which
 * drops the vault and every slice's decrypted data.
 */
import { useEffect } from 'react';
import { createSessionLockTimer, lockPolicyConfig } from '../../main/lock-policy.js';
import type { Platform } from '../platform/platform.js';
import { useSession } from '../state/session-store.js';
import { lockClock } from './lock-clock.js';

const INPUT_EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart'] as const;
const MAX_WAIT_MS = 1000;

export function useAutoLock(platform: Platform, idleMinutes: number, absoluteMinutes: number, idleSecondsOverride: number | null): void {
  const vault = useSession((s) => s.vault);
  useEffect(() => {
    if (!vault) return;
    const cfg = lockPolicyConfig({ idleMinutes, absoluteMinutes });
    const timer = createSessionLockTimer(cfg, lockClock(() => Date.now(), idleMinutes, idleSecondsOverride));
    timer.unlocked();
    const activity = () => timer.activity();
    for (const ev of INPUT_EVENTS) window.addEventListener(ev, activity, { capture: true, passive: true });
    let stopped = false;
    let handle: ReturnType<typeof setTimeout> | null = null;
    const lock = (reason: Parameters<ReturnType<typeof useSession.getState>['lock']>[0]) => {
      if (stopped) return;
      stopped = true;
      timer.locked();
      void useSession.getState().lock(reason);
    };
    const tick = async () => {
      // The web platform counts the page's own input; Electron asks the OS. The policy uses the smaller.
      const systemIdle = platform.kind === 'electron' ? await platform.idleSeconds().catch(() => undefined) : undefined;
      const reason = timer.check(systemIdle);
      if (reason) return lock(reason);
      if (!stopped) handle = setTimeout(() => void tick(), Math.min(MAX_WAIT_MS, Math.max(50, timer.msUntilNextCheck())));
    };
    handle = setTimeout(() => void tick(), MAX_WAIT_MS);
    const offOs = platform.onLockEvent((reason) => lock(reason));
    return () => {
      stopped = true;
      if (handle) clearTimeout(handle);
      offOs();
      for (const ev of INPUT_EVENTS) window.removeEventListener(ev, activity, { capture: true });
    };
  }, [vault, platform, idleMinutes, absoluteMinutes, idleSecondsOverride]);
}

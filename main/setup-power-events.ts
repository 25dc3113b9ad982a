import { powerMonitor } from 'electron';
import type { AppContext } from './app-context.js';
import { osEventLockReason, type OsLockEvent } from './lock-policy.js';

/** OS suspend and lock-screen lock the vault (R3): main tells the renderer, which drops its keys. */
export function setupPowerEvents(ctx: AppContext): void {
  const forward = (event: OsLockEvent) => {
    const reason = osEventLockReason(event, ctx.lockPolicy);
    if (reason) ctx.window?.webContents.send('event:lock', reason);
  };
  powerMonitor.on('suspend', () => forward('suspend'));
  powerMonitor.on('lock-screen', () => forward('lock-screen'));
}

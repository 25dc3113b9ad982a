import { app, BrowserWindow } from 'electron';
import { existsSync } from 'node:fs';
import type { AppContext } from './app-context.js';
import { APP_START_URL } from './navigation-policy.js';
import { mainWindowOptions } from './window-options.js';

export function createMainWindow(ctx: AppContext): BrowserWindow {
  const win = new BrowserWindow(
    mainWindowOptions({
      preloadPath: ctx.paths.preload,
      isPackaged: ctx.isPackaged,
      ...(existsSync(ctx.paths.icon) ? { iconPath: ctx.paths.icon } : {}),
    }),
  );
  ctx.window = win;
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    ctx.window = null;
    for (const fn of ctx.onWindowClosed) fn();
  });
  void win.loadURL(APP_START_URL);
  return win;
}

/** One window; quit when it closes (also on macOS: a vault should not linger unlocked). */
export function setupWindow(ctx: AppContext): void {
  createMainWindow(ctx);
  app.on('window-all-closed', () => app.quit());
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createMainWindow(ctx);
  });
}

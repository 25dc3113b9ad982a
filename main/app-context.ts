/**
 * The little state main keeps, created once in index.ts and passed to every setupX().
 */
import type { BrowserWindow } from 'electron';
import { app } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRelayUrl } from './relay-setting-file.js';
import { DEFAULT_LOCK_POLICY, type LockPolicyConfig } from './lock-policy.js';

export interface AppContext {
  window: BrowserWindow | null;
  /** Validated join links waiting for the renderer to take them (links:pending). */
  pendingLinks: string[];
  relayUrl: string;
  readonly lockPolicy: LockPolicyConfig;
  readonly paths: { preload: string; distWeb: string; icon: string; relayFile: string; keychainFile: string };
  readonly isPackaged: boolean;
  /** Clean-ups run when the window closes (open file handles, partial exports). */
  readonly onWindowClosed: Array<() => void>;
}

export const MAX_PENDING_LINKS = 16;

export function createAppContext(): AppContext {
  // dist/main/index.js → repository (or app.asar) root two levels up.
  const here = dirname(fileURLToPath(import.meta.url));
  const root = join(here, '..', '..');
  const userData = app.getPath('userData');
  const relayFile = join(userData, 'relay.json');
  return {
    window: null,
    pendingLinks: [],
    relayUrl: loadRelayUrl(relayFile, process.env),
    lockPolicy: DEFAULT_LOCK_POLICY,
    paths: {
      preload: join(here, 'preload.cjs'),
      distWeb: join(root, 'dist-web'),
      icon: join(root, 'resources', 'icon.png'),
      relayFile,
      keychainFile: join(userData, 'keychain.json'),
    },
    isPackaged: app.isPackaged,
    onWindowClosed: [],
  };
}

/** Queues a validated join link and pokes the renderer to take it. */
export function deliverJoinLink(ctx: AppContext, href: string): void {
  if (ctx.pendingLinks.length >= MAX_PENDING_LINKS) ctx.pendingLinks.shift();
  ctx.pendingLinks.push(href);
  ctx.window?.webContents.send('event:join-links');
}

export function focusWindow(ctx: AppContext): void {
  const win = ctx.window;
  if (!win) return;
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}

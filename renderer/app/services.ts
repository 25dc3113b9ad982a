/**
 * The services the screens need beyond the slices: the launcher (entry points before a vault
 * is open), the Platform, and the relay URL. Built once in main.tsx and passed by React context.
 */
import { createContext, useContext } from 'react';
import type { VaultLauncher } from '../../core/vault-api.js';
import type { Platform } from '../platform/platform.js';

export interface Services {
  launcher: VaultLauncher;
  platform: Platform;
  /** The relay to use now: `?relay=` (tests, npm start), else Electron's/the saved setting, else the default. */
  relayUrl(): string;
  /** Test-only shortening of the idle lock (see relay-choice.ts). */
  idleSecondsOverride: number | null;
  /** Seconds a copied secret stays on the clipboard (renderer/app/clipboard.ts). */
  clipboardSeconds: number;
  deviceName: string;
}

export const ServicesContext = createContext<Services | null>(null);

export function useServices(): Services {
  const s = useContext(ServicesContext);
  if (!s) throw new Error('useServices: no ServicesContext provider');
  return s;
}

/** The machine's own network signal (navigator.onLine and its events; Electron's renderer has the same). */
import { useSyncExternalStore } from 'react';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('online', onChange);
  window.addEventListener('offline', onChange);
  return () => {
    window.removeEventListener('online', onChange);
    window.removeEventListener('offline', onChange);
  };
}

export function useOnline(): boolean {
  return useSyncExternalStore(subscribe, () => navigator.onLine, () => true);
}

/**
 * What the status shows: while the machine is offline the engine keeps "connecting" (its
 * attempts are held until the network returns), but the honest word is "offline".
 */
export function shownConnection<C extends string>(engine: C, machineOnline: boolean): C | 'offline' {
  return machineOnline ? engine : 'offline';
}

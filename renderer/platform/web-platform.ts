/**
 * The Platform in a plain browser page (web client, end-to-end tests): a file input to pick,
 * a download link from an object URL to save, no keychain, no OS lock events, and idle time
 * counted from this page's own input events.
 */
import type { LockReason, PickedFile, Platform } from './platform.js';
import i18next from 'i18next';
import { useSettings } from '../state/settings-store.js';
import { createWebRelay } from './web-relay.js';
import { probeRelay } from '../../protocol/relay-probe.js';

const INPUT_EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart'] as const;

function pickWithInput(multiple: boolean): Promise<File[]> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.multiple = multiple;
    input.hidden = true;
    const done = (files: File[]) => {
      input.remove();
      resolve(files);
    };
    input.addEventListener('change', () => done([...(input.files ?? [])]), { once: true });
    input.addEventListener('cancel', () => done([]), { once: true });
    document.body.append(input);
    input.click();
  });
}

/** Wraps a DOM File as a PickedFile (streamed, never read whole). */
export function pickedFromFile(f: File): PickedFile {
  return { name: f.name, type: f.type || 'application/octet-stream', size: f.size, stream: () => f.stream(), blob: f };
}

/**
 * `checkRelay`: the launcher's Truhe check (hello → challenge; throws RELAY_UNREACHABLE /
 * NOT_A_RELAY …), used for a relay switch so that a service that is not a Truhe relay is never
 * saved; without it, a socket that opens is enough.
 */
export function createWebPlatform(opts: { checkRelay?: (url: string) => Promise<unknown> } = {}): Platform {
  const check = opts.checkRelay;
  let lastInput = Date.now();
  const touch = () => {
    lastInput = Date.now();
  };
  for (const ev of INPUT_EVENTS) window.addEventListener(ev, touch, { capture: true, passive: true });

  return {
    kind: 'web',
    async openFiles(opts) {
      return (await pickWithInput(opts?.multiple ?? false)).map(pickedFromFile);
    },
    async saveFile(suggestedName, data) {
      // The browser decides where the download goes; the bytes exist only as a Blob in memory.
      const blob = await new Response(data).blob();
      const url = URL.createObjectURL(blob);
      try {
        const a = document.createElement('a');
        a.href = url;
        a.download = suggestedName;
        a.hidden = true;
        document.body.append(a);
        a.click();
        a.remove();
      } finally {
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
      }
      return true;
    },
    keychain: {
      available: false,
      remember: async () => undefined,
      recall: async () => null,
      forget: async () => undefined,
    },
    onLockEvent: (_listener: (reason: LockReason) => void) => () => undefined,
    idleSeconds: async () => (Date.now() - lastInput) / 1000,
    onJoinLink: () => () => undefined,
    clipboard: {
      write: (text) => navigator.clipboard.writeText(text),
      async clearIf(text) {
        let current: string | null;
        try {
          current = await navigator.clipboard.readText();
        } catch {
          current = null; // reading was refused: a secret left behind is worse than a lost copy
        }
        if (current !== null && current !== text) return false;
        await navigator.clipboard.writeText('');
        return true;
      },
    },
    relay: createWebRelay({
      search: () => location.search,
      saved: () => useSettings.getState().relayUrl,
      save: (url) => void useSettings.getState().setRelayUrl(url),
      dropQueryRelay() {
        const u = new URL(location.href);
        if (!u.searchParams.has('relay')) return;
        u.searchParams.delete('relay');
        history.replaceState(history.state, '', u);
      },
      probe: (url) => (check ? check(url).then(() => true) : probeRelay(url)),
      // The browser's own dialog: the page cannot style or pre-answer it.
      confirm: (relay) =>
        window.confirm(i18next.t('settings.relayConfirm', { host: relay.loopback ? i18next.t('settings.relayThisComputer', { host: relay.host }) : relay.host })),
    }),
  };
}

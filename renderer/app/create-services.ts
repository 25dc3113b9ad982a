/** Builds the Services for this window: Electron bridge when present, else the web platform. */
import { browserStoreFactory } from '../../core/store/browser-store.js';
import { createLauncher, type WebSocketLike } from '../../core/vault.js';
import { bridgeFromWindow, createElectronPlatform } from '../platform/electron-platform.js';
import { createWebPlatform } from '../platform/web-platform.js';
import { offlineAwareFactory } from './offline-aware-socket.js';
import { chooseRelay, idleSecondsOverride } from './relay-choice.js';
import type { Services } from './services.js';
import { clipboardClearSeconds } from './clipboard.js';

function deviceName(kind: 'electron' | 'web'): string {
  const ua = navigator.userAgent;
  const os = /Windows/.test(ua) ? 'Windows' : /Mac OS/.test(ua) ? 'macOS' : /Linux/.test(ua) ? 'Linux' : 'Computer';
  return kind === 'web' ? `Browser on ${os}` : `Truhe on ${os}`;
}

export async function createServices(savedRelay: () => string | null): Promise<Services> {
  const bridge = bridgeFromWindow();
  let electronRelay: string | null = null;
  if (bridge && !new URLSearchParams(location.search).get('relay')) {
    const r = await bridge.relay.get({});
    if (r.ok && r.value) electronRelay = r.value;
  }
  const relayUrl = () => chooseRelay(location.search, electronRelay ?? savedRelay());
  const launcher = createLauncher({
    storeFactory: browserStoreFactory(),
    // The DOM WebSocket is the engine's WebSocketLike; only its send() typing is wider.
    webSocketFactory: offlineAwareFactory((url) => new WebSocket(url) as unknown as WebSocketLike, { get onLine() { return navigator.onLine; }, addEventListener: (t, l) => window.addEventListener(t, l) }),
    platform: bridge ? 'other' : 'web',
  });
  const platform = bridge ? await createElectronPlatform(bridge) : createWebPlatform({ checkRelay: (url) => launcher.checkRelay(url) });
  return { launcher, platform, relayUrl, idleSecondsOverride: idleSecondsOverride(location.search), clipboardSeconds: clipboardClearSeconds(location.search), deviceName: deviceName(platform.kind) };
}

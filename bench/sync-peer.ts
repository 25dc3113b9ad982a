/**
 * Worker thread for bench/sync-bench.ts: a second device in its own thread (as a second machine
 * would be), so the edit-latency figure is not inflated by both devices sharing one event loop.
 * In: {relayUrl, kit, password, share}. Out: 'ready', then {body, at} whenever a new body of
 * the watched note is visible decrypted (at = performance.timeOrigin + performance.now()).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { simDevice, waitFor } from '../test/integration/sync/helpers/devices.js';
import type { EmergencyKit } from '../core/vault-api.js';

const { kit, password, share, item } = workerData as { kit: EmergencyKit; password: string; share: string; item: string };
const b = await simDevice('bench-peer').launcher.signInNewDevice({ kit, password, deviceName: 'peer' });
await waitFor(b, async () => ((await b.readNote(share, item).catch(() => null)) ? true : undefined), 'watched note');
let last = '';
b.onChange(() => {
  void b.readNote(share, item).then((n) => {
    if (n.body !== last) {
      last = n.body;
      parentPort!.postMessage({ body: n.body, at: performance.timeOrigin + performance.now() });
    }
  }, () => undefined);
});
parentPort!.on('message', (m) => {
  if (m === 'stop') void b.lock().then(() => process.exit(0));
});
parentPort!.postMessage('ready');

/**
 * Simulated devices for integration tests: each has its own fake-indexeddb (so its own Dexie
 * store), a `ws` WebSocket factory whose sockets the test can cut, and the small test KDF.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import WebSocket from 'ws';
import { createLauncher } from '../../../../core/vault.js';
import { DexieVaultStore } from '../../../../core/store/dexie-store.js';
import { TEST_KDF_COST, TEST_KDF_FLOOR, type KdfFloor } from '../../../../core/crypto/kdf.js';
import type { VaultApi, VaultLauncher, SyncStatus } from '../../../../core/vault-api.js';
import type { WebSocketLike } from '../../../../core/sync/websocket.js';
import type { Clock } from '../../../../core/sync/clock.js';
import type { VaultStore } from '../../../../core/store/vault-store.js';
import type { KdfRunner } from '../../../../core/crypto/kdf-runner.js';

export interface SimDevice {
  name: string;
  idb: IDBFactory;
  launcher: VaultLauncher;
  /** Open a fresh handle on this device's database (to inspect it). */
  openStore(): DexieVaultStore;
  /** Cut every open socket of this device (network drop; the engine reconnects). */
  dropConnections(): void;
  /** While true, new sockets fail at once (device offline). */
  offline: boolean;
  sockets: Set<WebSocket>;
}

export function simDevice(name: string, opts: { cacheDownloads?: boolean; kdfCost?: KdfFloor; keepaliveMs?: number; requestTimeoutMs?: number; clock?: Clock; wrapStore?: (s: VaultStore) => VaultStore; kdf?: KdfRunner; idb?: IDBFactory } = {}): SimDevice {
  const idb = opts.idb ?? new IDBFactory(); // `idb`: another launcher on that device's database
  const sockets = new Set<WebSocket>();
  const dev: SimDevice = {
    name, idb, sockets, offline: false,
    launcher: undefined as unknown as VaultLauncher,
    openStore: () => new DexieVaultStore(`truhe-${name}`, { indexedDB: idb, IDBKeyRange }),
    dropConnections() {
      for (const s of sockets) s.terminate();
    },
  };
  dev.launcher = createLauncher({
    storeFactory: () => (opts.wrapStore ?? ((s: VaultStore) => s))(new DexieVaultStore(`truhe-${name}`, { indexedDB: idb, IDBKeyRange })),
    webSocketFactory: (url) => {
      const target = dev.offline ? 'ws://127.0.0.1:1' : url;
      const ws = new WebSocket(target, { maxPayload: 4 * 1024 * 1024 });
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('error', () => undefined);
      return ws as unknown as WebSocketLike;
    },
    kdfFloor: TEST_KDF_FLOOR,
    kdfCost: opts.kdfCost ?? TEST_KDF_COST,
    backoff: { baseMs: 50, maxMs: 500, minMs: 10 },
    requestTimeoutMs: opts.requestTimeoutMs ?? 20_000,
    keepaliveMs: opts.keepaliveMs,
    cacheDownloads: opts.cacheDownloads,
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.kdf ? { kdf: opts.kdf } : {}),
  });
  return dev;
}

/** Resolve when `pred(status)` holds (status events, no sleeps). */
export function waitStatus(v: VaultApi, pred: (s: SyncStatus) => boolean, what = 'status', timeoutMs = 30_000): Promise<SyncStatus> {
  return new Promise((resolve, reject) => {
    let unsub = () => {};
    const t = setTimeout(() => { unsub(); reject(new Error(`timed out waiting for ${what}`)); }, timeoutMs);
    unsub = v.onStatus((s) => {
      if (pred(s)) {
        clearTimeout(t);
        queueMicrotask(() => unsub());
        resolve(s);
      }
    });
  });
}

/** Resolve when `check()` (re-run on every change/status event) returns a value. */
export function waitFor<T>(v: VaultApi, check: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  return new Promise((resolve, reject) => {
    let busy = false;
    let again = false;
    let done = false;
    const unsubs: (() => void)[] = [];
    const finish = (fn: () => void) => { done = true; clearTimeout(t); for (const u of unsubs) u(); fn(); };
    const t = setTimeout(() => finish(() => reject(new Error(`timed out waiting for ${what}`))), timeoutMs);
    const run = async () => {
      if (done) return;
      if (busy) { again = true; return; }
      busy = true;
      try {
        const r = await check();
        if (r !== undefined) finish(() => resolve(r));
      } catch { /* not yet */ } finally {
        busy = false;
        if (again && !done) { again = false; void run(); }
      }
    };
    unsubs.push(v.onChange(() => void run()), v.onStatus(() => void run()));
    void run();
  });
}

/** Resolve when the outbox is empty and the device is online. */
export function synced(v: VaultApi): Promise<SyncStatus> {
  return waitStatus(v, (s) => s.connection === 'online' && s.pending === 0, 'outbox drained');
}

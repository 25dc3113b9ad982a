/** What the launcher is given: every side effect is injected (ARCHITECTURE.md "Dependencies are passed in"). */
import type { KdfFloor } from '../crypto/kdf.js';
import type { KdfRunner } from '../crypto/kdf-runner.js';
import type { ChunkSealer } from '../model/file-sealer.js';
import type { VaultStore } from '../store/vault-store.js';
import type { BackoffOptions } from '../sync/backoff.js';
import type { Clock } from '../sync/clock.js';
import type { WebSocketFactory } from '../sync/websocket.js';

export interface LauncherDeps {
  /** This device's local store (Dexie on IndexedDB in the app; fake-indexeddb in Node tests). */
  storeFactory: () => VaultStore;
  /** `(url) => new WebSocket(url)` in the browser, `ws` in Node. */
  webSocketFactory: WebSocketFactory;
  clock?: Clock;
  /** Lowest accepted Argon2id cost (tests pass TEST_KDF_FLOOR); new accounts use it as cost too. */
  kdfFloor?: KdfFloor;
  kdfCost?: KdfFloor;
  /** Where every Argon2id runs: unlock, sign-in, account create/join, password change, emergency kit, access codes (default: a Worker where there are Workers, else inline; kdf-runner.ts). */
  kdf?: KdfRunner;
  random?: () => number;
  backoff?: BackoffOptions;
  requestTimeoutMs?: number;
  /** Keep-alive period of the connection (ms; default 25 000, 0 = off). */
  keepaliveMs?: number;
  /** Device platform reported to the relay. */
  platform?: 'linux' | 'mac' | 'windows' | 'web' | 'other';
  /** Older versions of an item kept locally (the relay keeps its own history). Default 20. */
  historyRetention?: number;
  /** Keep downloaded file chunks in the local store (offline access). Default true. */
  cacheDownloads?: boolean;
  /** Where file chunks are sealed (default: a Worker per file where there are Workers, else inline; model/file-sealer.ts). */
  sealer?: ChunkSealer;
  /** Argon2id cost of access-code seeds (default CODE_KDF_COST); creator and guest must agree. Tests pass TEST_KDF_COST. */
  codeKdfCost?: KdfFloor;
}

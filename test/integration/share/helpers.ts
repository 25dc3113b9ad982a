/**
 * Devices for the sharing tests: like test/integration/sync/helpers/devices.ts (own
 * fake-indexeddb, `ws` sockets the test can watch and cut, small test KDF) plus the small
 * access-code KDF cost on both sides (creator and guest must agree on it).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ChunkFiles, chunkDirOf } from '../../../sync-server/storage/sqlite/chunk-files.js';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import WebSocket from 'ws';
import { createLauncher } from '../../../core/vault.js';
import { DexieVaultStore } from '../../../core/store/dexie-store.js';
import { TEST_KDF_COST, TEST_KDF_FLOOR } from '../../../core/crypto/kdf.js';
import type { VaultApi, VaultLauncher } from '../../../core/vault-api.js';
import type { WebSocketLike } from '../../../core/sync/websocket.js';
import { isVaultError, type VaultErrorCode } from '../../../core/errors.js';
import type { KdfRunner } from '../../../core/crypto/kdf-runner.js';

export interface ShareDevice {
  name: string;
  launcher: VaultLauncher;
  sockets: Set<WebSocket>;
  /** Every socket close seen: [code, time in ms (performance.now)]. */
  closes: { code: number; at: number }[];
  openStore(): DexieVaultStore;
}

/** `kdf`: the launcher's Argon2id runner (default: the environment's, inline in Node). */
export function shareDevice(name: string, opts: { kdf?: KdfRunner } = {}): ShareDevice {
  const idb = new IDBFactory();
  const sockets = new Set<WebSocket>();
  const closes: ShareDevice['closes'] = [];
  const dev: ShareDevice = {
    name, sockets, closes, launcher: undefined as unknown as VaultLauncher,
    openStore: () => new DexieVaultStore(`truhe-${name}`, { indexedDB: idb, IDBKeyRange }),
  };
  dev.launcher = createLauncher({
    storeFactory: () => new DexieVaultStore(`truhe-${name}`, { indexedDB: idb, IDBKeyRange }),
    webSocketFactory: (url) => {
      const ws = new WebSocket(url, { maxPayload: 4 * 1024 * 1024 });
      sockets.add(ws);
      ws.on('close', (code) => { closes.push({ code, at: performance.now() }); sockets.delete(ws); });
      ws.on('error', () => undefined);
      return ws as unknown as WebSocketLike;
    },
    kdfFloor: TEST_KDF_FLOOR,
    kdfCost: TEST_KDF_COST,
    codeKdfCost: TEST_KDF_COST,
    backoff: { baseMs: 50, maxMs: 500, minMs: 10 },
    requestTimeoutMs: 20_000,
    ...(opts.kdf ? { kdf: opts.kdf } : {}),
  });
  return dev;
}

/** The error code a promise rejects with (fails the test if it resolves). */
export async function codeOf(p: Promise<unknown>): Promise<VaultErrorCode | string> {
  try {
    await p;
  } catch (e) {
    return isVaultError(e) ? e.code : `not a VaultError: ${String(e)}`;
  }
  throw new Error('expected a rejection');
}

/** Resolve when `check()` returns a value, re-checked on every change/status event of `v`. */
export { waitFor, waitStatus, synced } from '../sync/helpers/devices.js';

export async function lockAll(...vs: (VaultApi | undefined)[]): Promise<void> {
  for (const v of vs) await v?.lock().catch(() => undefined);
}

/** The stored bytes of a share's largest chunk on the relay (inline in its row, or in its chunk file). */
export function largestChunk(dataDir: string, share: string): Buffer {
  for (const f of readdirSync(dataDir).filter((x) => /^team-[0-9a-f]+\.sqlite$/.test(x))) {
    const db = new Database(join(dataDir, f), { readonly: true });
    try {
      const r = db.prepare('SELECT data, file FROM chunks WHERE share = ? ORDER BY COALESCE(size, length(data)) DESC LIMIT 1').get(share) as { data: Buffer; file: string | null } | undefined;
      if (r) return r.file === null ? r.data : readFileSync(new ChunkFiles(chunkDirOf(join(dataDir, f))).path(share, r.file));
    } finally {
      db.close();
    }
  }
  throw new Error(`largestChunk: the relay holds no chunk of ${share}`);
}

/** Query every team database of the relay (read directly from its data directory). */
export function relayQuery<T>(dataDir: string, sql: string, ...args: unknown[]): T[] {
  const out: T[] = [];
  for (const f of readdirSync(dataDir).filter((x) => /^team-[0-9a-f]+\.sqlite$/.test(x))) {
    const db = new Database(join(dataDir, f), { readonly: true });
    db.pragma('busy_timeout = 5000');
    try {
      out.push(...(db.prepare(sql).all(...args) as T[]));
    } finally {
      db.close();
    }
  }
  return out;
}

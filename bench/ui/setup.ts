/**
 * What the UI bench needs outside the browser: the built web client served like the e2e tests
 * serve it (test/e2e/serve-web.mjs, same CSP), a real relay, and an account whose share is
 * seeded with N notes through the real core in Node (fake-indexeddb), with the production
 * Argon2id cost so the browser's unlock pays what a user pays.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import WebSocket from 'ws';
import { createLauncher } from '../../core/vault.js';
import { DexieVaultStore } from '../../core/store/dexie-store.js';
import type { EmergencyKit, VaultApi } from '../../core/vault-api.js';
import type { WebSocketLike } from '../../core/sync/websocket.js';
import { startRelay, type RelayProcess } from '../../test/integration/sync/helpers/relay.js';
import { synced } from '../../test/integration/sync/helpers/devices.js';

export const PASSWORD = 'Akten-Schrank-Sommer-2026!';
const root = fileURLToPath(new URL('../../', import.meta.url));

/** Ports of the bench (47432-47439 belong to it on the shared machine); BENCH_UI_PORT moves them. */
export const WEB_PORT = Number(process.env.BENCH_UI_PORT ?? 47432);
export const RELAY_PORT = WEB_PORT + 1;

const CLIENTS = ['Schmidt', 'Meyer', 'Wagner', 'Becker', 'Hoffmann', 'Schulz', 'Koch', 'Richter', 'Klein', 'Wolf', 'Neumann', 'Braun'];

/** The i-th seeded note: every 7th body mentions a "Vertragsentwurf" (a body-only search term). */
export function seedNote(i: number): { title: string; body: string; tags: string[] } {
  const who = CLIENTS[i % CLIENTS.length]!;
  const body = `Aktenvermerk ${i} zu Mandant ${who}.\n${i % 7 === 0 ? 'Vertragsentwurf liegt bei.' : 'Telefonat geführt.'}\nFrist: ${1 + (i % 28)}.${1 + (i % 12)}.`;
  return { title: `Akte ${i} ${who}`, body, tags: i % 10 === 0 ? ['Frist'] : [] };
}

/** How many seeded notes a query matches (title and body, case-insensitive), as the UI must count. */
export function expectedMatches(n: number, query: string): number {
  const q = query.trim().toLowerCase();
  let c = 0;
  for (let i = 0; i < n; i++) {
    const s = seedNote(i);
    if (!q || `${s.title}\n${s.body}`.toLowerCase().includes(q)) c++;
  }
  return c;
}

export function buildWeb(): void {
  if (process.env.BENCH_UI_NO_BUILD === '1') return;
  const r = spawnSync('npx', ['vite', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`vite build failed: ${r.stderr?.toString().slice(-2000)}`);
}

export function serveWeb(relayUrl: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['test/e2e/serve-web.mjs', String(WEB_PORT), relayUrl], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout!.once('data', () => resolve(child));
    child.once('exit', (c) => reject(new Error(`serve-web exited (${c})`)));
  });
}

export interface Seeded {
  relay: RelayProcess;
  kit: EmergencyKit;
  share: string;
  vault: VaultApi;
  seedSeconds: number;
}

/** Relay + an account (production KDF) whose one share holds `n` notes, all acknowledged by the relay. */
export async function seed(n: number): Promise<Seeded> {
  const relay = await startRelay({ port: RELAY_PORT });
  const idb = new IDBFactory();
  const launcher = createLauncher({
    storeFactory: () => new DexieVaultStore('truhe-bench-seed', { indexedDB: idb, IDBKeyRange }),
    webSocketFactory: (url) => new WebSocket(url, { maxPayload: 4 * 1024 * 1024 }) as unknown as WebSocketLike,
    requestTimeoutMs: 60_000,
  });
  const { vault, kit } = await launcher.createTeam({ displayName: 'Owner', teamName: 'Firm', relayUrl: relay.url, password: PASSWORD, deviceName: 'seed' });
  const share = (await vault.createShare('Mandantenakten')).id;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    await vault.saveNote(share, seedNote(i));
    if (i % 500 === 499) await synced(vault);
  }
  await synced(vault);
  return { relay, kit, share, vault, seedSeconds: (performance.now() - t0) / 1000 };
}

/**
 * The vault facade: `createLauncher(deps)` → VaultLauncher → VaultApi (core/vault-api.ts).
 * Pieces: core/vault/ (session, items, files, export, identity, membership, keyring; the narrow
 * ports modules take instead of the Session: ports.ts, team-ports.ts),
 * core/sync/ (connection, outbox, pull, merge, transfers).
 */
export { createLauncher } from './vault/launcher.js';
export type { LauncherDeps } from './vault/deps.js';
export { checkRelayUrl } from './sync/relay-url.js';
export { systemClock, type Clock } from './sync/clock.js';
export type { WebSocketFactory, WebSocketLike } from './sync/websocket.js';
export type * from './vault-api.js';

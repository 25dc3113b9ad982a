/**
 * Prometheus metrics with counts only: no ids, no addresses. Label values come from fixed
 * sets (message types, error codes, close codes), never from client input. One registry per
 * relay (no global default registry).
 */
import { Counter, Gauge, Registry } from 'prom-client';
import { ERROR_CODES, Requests } from '../protocol/index.js';

const KNOWN_TYPES = new Set<string>(['hello', 'auth', 'team.create', 'account.kdf', 'chunk.put', ...Object.keys(Requests)]);
const KNOWN_CODES = new Set<string>(ERROR_CODES);

export interface RelayMetrics {
  registry: Registry;
  connections: Gauge;
  sessions: Gauge;
  message(type: string): void;
  error(code: string): void;
  auth(method: string, result: 'ok' | 'fail' | 'wipe' | 'expired' | 'limited'): void;
  closed(code: number): void;
  records: Counter;
  chunkBytes: Counter;
  /** A request refused for a storage fault (STORAGE_FULL / STORAGE_UNAVAILABLE). */
  storageFault(code: 'STORAGE_FULL' | 'STORAGE_UNAVAILABLE'): void;
  /** A connection closed for backpressure (answers unread / too many requests in flight). */
  overloaded(reason: 'unread' | 'inflight' | 'connections'): void;
  /** Gauges read from the storage at scrape time (teams unavailable, team databases open). */
  watchStorage(health: () => { unavailableTeams: number; openTeams: number }): void;
  /** Gauges of the relay's usage against its caps (0 = no cap), read at scrape time. */
  watchUsage(usage: () => { teams: number; bytes: number; maxTeams: number; maxBytes: number }): void;
}

export function createMetrics(): RelayMetrics {
  const registry = new Registry();
  const connections = new Gauge({ name: 'truhe_connections', help: 'Open WebSocket connections', registers: [registry] });
  const sessions = new Gauge({ name: 'truhe_sessions', help: 'Authenticated sessions', registers: [registry] });
  const messages = new Counter({ name: 'truhe_messages_total', help: 'Inbound messages by type', labelNames: ['type'], registers: [registry] });
  const errors = new Counter({ name: 'truhe_errors_total', help: 'Error answers by code', labelNames: ['code'], registers: [registry] });
  const auths = new Counter({ name: 'truhe_auth_total', help: 'Authentications by method and result', labelNames: ['method', 'result'], registers: [registry] });
  const closes = new Counter({ name: 'truhe_closes_total', help: 'Connections closed by the relay, by close code', labelNames: ['code'], registers: [registry] });
  const records = new Counter({ name: 'truhe_records_pushed_total', help: 'Records accepted by push', registers: [registry] });
  const chunkBytes = new Counter({ name: 'truhe_chunk_bytes_total', help: 'Chunk bytes stored', registers: [registry] });
  const faults = new Counter({ name: 'truhe_storage_faults_total', help: 'Requests refused for a storage fault, by code', labelNames: ['code'], registers: [registry] });
  const overload = new Counter({ name: 'truhe_overloaded_total', help: 'Connections refused or closed for backpressure, by reason', labelNames: ['reason'], registers: [registry] });
  let storageHealth: (() => { unavailableTeams: number; openTeams: number }) | null = null;
  new Gauge({
    name: 'truhe_teams_unavailable', help: 'Teams whose database is damaged or cannot be opened (served STORAGE_UNAVAILABLE)', registers: [registry],
    collect() { this.set(storageHealth?.().unavailableTeams ?? 0); },
  });
  new Gauge({
    name: 'truhe_teams_open', help: 'Team databases open (bounded LRU)', registers: [registry],
    collect() { this.set(storageHealth?.().openTeams ?? 0); },
  });
  let usage: (() => { teams: number; bytes: number; maxTeams: number; maxBytes: number }) | null = null;
  const gauge = (name: string, help: string, pick: (u: { teams: number; bytes: number; maxTeams: number; maxBytes: number }) => number) =>
    new Gauge({ name, help, registers: [registry], collect() { const u = usage?.(); this.set(u ? pick(u) : 0); } });
  gauge('truhe_teams', 'Teams on this relay', (u) => u.teams);
  gauge('truhe_teams_max', 'Maximum of teams (0: no cap)', (u) => u.maxTeams);
  gauge('truhe_stored_bytes', 'Stored bytes of all teams (chunks + record bodies)', (u) => u.bytes);
  gauge('truhe_stored_bytes_max', 'Cap on stored bytes (0: no cap)', (u) => u.maxBytes);
  return {
    registry, connections, sessions, records, chunkBytes,
    watchUsage: (u) => { usage = u; },
    storageFault: (code) => faults.inc({ code }),
    overloaded: (reason) => overload.inc({ reason }),
    watchStorage: (h) => { storageHealth = h; },
    message: (t) => messages.inc({ type: KNOWN_TYPES.has(t) ? t : 'unknown' }),
    error: (c) => errors.inc({ code: KNOWN_CODES.has(c) ? c : 'INTERNAL' }),
    auth: (method, result) => auths.inc({ method: ['device', 'code', 'account', 'team.create'].includes(method) ? method : 'unknown', result }),
    closed: (code) => closes.inc({ code: String(code) }),
  };
}

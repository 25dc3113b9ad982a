/** The relay's side of liveness: a WebSocket ping to every socket each `heartbeatMs`. */
import { CLOSE } from '../protocol/index.js';
import type { RelayMetrics } from './metrics.js';
import type { Session } from './session.js';

/**
 * One heartbeat tick: a socket silent for two whole ticks is gone (terminate: its close handler
 * cleans up; two, so a relay that was itself stalled past a tick does not drop a live peer whose
 * pong is still unread); one still unauthenticated after two ticks is closed; the rest are pinged.
 */
export function beat(sockets: Set<Session>, metrics: RelayMetrics): void {
  for (const s of sockets) {
    if (s.alive) s.missed = 0;
    else if (++s.missed >= 2) {
      metrics.closed(1006);
      s.ws.terminate();
      continue;
    }
    if (s.state !== 'authed' && s.state !== 'closed' && ++s.preAuthTicks > 2) {
      s.close(CLOSE.PROTOCOL_ERROR, 'authentication timeout');
      continue;
    }
    s.alive = false;
    try { s.ws.ping(); } catch { /* closing already */ }
  }
}

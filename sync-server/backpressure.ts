/**
 * Per-connection backpressure, so relay memory stays bounded whatever a client does:
 * - requests: at most `maxInflight` queued or running; beyond it the relay stops reading the
 *   socket (ws pause), so further frames wait in the client's TCP send buffer, not in the relay;
 * - answers: before handling the next request, unread answer bytes (ws bufferedAmount) must be
 *   under `maxBufferedBytes`; while they are not, the session waits; a peer that reads nothing
 *   for `slowReaderMs` (monotonic) is closed 4011 OVERLOADED.
 */
import type { WebSocket } from 'ws';
import { CLOSE } from '../protocol/index.js';
import type { ServerLimits } from './context.js';
import type { RelayMetrics } from './metrics.js';
import type { Session } from './session.js';

export class Backpressure {
  private pending = 0;
  private paused = false;
  constructor(private readonly ws: WebSocket, private readonly maxInflight: number) {}

  /** A frame arrived (queued for handling). */
  received(): void {
    if (++this.pending >= this.maxInflight && !this.paused) {
      this.paused = true;
      this.ws.pause();
    }
  }
  /** A frame was handled. Reading resumes once half the queue has drained. */
  handled(): void {
    if (--this.pending <= this.maxInflight / 2 && this.paused) {
      this.paused = false;
      this.ws.resume();
    }
  }
}

const POLL_MS = 20;

/** Resolves true once the session may answer again; false if it was closed (slow reader, or closed meanwhile). */
export async function awaitReadRoom(s: Session, limits: ServerLimits, metrics: RelayMetrics): Promise<boolean> {
  let last = s.ws.bufferedAmount;
  let since = performance.now();
  while (s.ws.bufferedAmount > limits.maxBufferedBytes) {
    if (s.state === 'closed' || s.ws.readyState !== s.ws.OPEN) return false;
    await new Promise((r) => setTimeout(r, POLL_MS));
    const now = performance.now();
    const b = s.ws.bufferedAmount;
    if (b < last) {
      last = b;
      since = now;
    } else if (now - since >= limits.slowReaderMs) {
      metrics.overloaded('unread');
      s.close(CLOSE.OVERLOADED, 'overloaded: answers left unread');
      return false;
    }
  }
  return s.state !== 'closed';
}

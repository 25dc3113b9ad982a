/**
 * Which network requests the renderer may make (R16): WebSocket connections to the configured
 * relay's origin and nothing else. Pages and assets come from app://, which is not network.
 */
import { relayOrigin } from './relay-origin.js';

export function allowRequest(url: string, relayUrl: string): boolean {
  let origin: string;
  try {
    origin = relayOrigin(relayUrl);
  } catch {
    return false;
  }
  try {
    const u = new URL(url);
    return (u.protocol === 'ws:' || u.protocol === 'wss:') && u.origin === origin;
  } catch {
    return false;
  }
}

/**
 * Which relay the web client talks to: `?relay=ws://127.0.0.1:PORT` (tests, npm start), else
 * the saved setting, else the loopback default. Whatever is chosen is checked by the core
 * (R11: plain ws:// only to loopback) when the launcher uses it.
 */
export const DEFAULT_RELAY = 'ws://127.0.0.1:8787';

export function chooseRelay(search: string, saved: string | null | undefined): string {
  const fromQuery = new URLSearchParams(search).get('relay');
  if (fromQuery) return fromQuery;
  return saved || DEFAULT_RELAY;
}

/**
 * `?lockIdleSeconds=N` (tests): shortens the idle timeout below the settings' one-minute floor.
 * It can only make the app lock sooner, never later. Returns null when absent or invalid.
 */
export function idleSecondsOverride(search: string): number | null {
  const raw = new URLSearchParams(search).get('lockIdleSeconds');
  if (raw === null) return null;
  const n = Number(raw);
  return Number.isInteger(n) && n >= 1 && n <= 3600 ? n : null;
}

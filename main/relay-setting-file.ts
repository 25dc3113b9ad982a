/**
 * Where the configured relay URL lives: TRUHE_RELAY_URL (for development and managed installs)
 * wins, then `<userData>/relay.json`, then the local relay `npm start` runs.
 */
import { readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { DEFAULT_RELAY_URL, relayOrigin } from './relay-origin.js';

export function loadRelayUrl(file: string, env: Record<string, string | undefined>): string {
  const fromEnv = env['TRUHE_RELAY_URL'];
  if (fromEnv) {
    relayOrigin(fromEnv); // throws on an unacceptable URL: better than a CSP that blocks it silently
    return fromEnv;
  }
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    const url = (parsed as { url?: unknown }).url;
    if (typeof url === 'string') {
      relayOrigin(url);
      return url;
    }
  } catch {
    // missing or unreadable: fall back to the default
  }
  return DEFAULT_RELAY_URL;
}

export async function saveRelayUrl(file: string, url: string): Promise<void> {
  relayOrigin(url);
  await writeFile(`${file}.tmp`, JSON.stringify({ url }), { mode: 0o600 });
  await rename(`${file}.tmp`, file);
}

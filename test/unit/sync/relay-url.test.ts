import { describe, expect, it } from 'vitest';
import { checkRelayUrl } from '../../../core/sync/relay-url.js';
import { isVaultError } from '../../../core/errors.js';

function code(fn: () => unknown): string {
  try { fn(); } catch (e) { return isVaultError(e) ? e.code : 'not a VaultError'; }
  return 'no error';
}

describe('checkRelayUrl (R11)', () => {
  it('accepts wss:// anywhere and ws:// to loopback', () => {
    expect(checkRelayUrl('wss://relay.example.de/')).toBe('wss://relay.example.de');
    expect(checkRelayUrl('ws://127.0.0.1:8787')).toBe('ws://127.0.0.1:8787');
    expect(checkRelayUrl('ws://127.5.6.7:1')).toBe('ws://127.5.6.7:1');
    expect(checkRelayUrl('ws://localhost:9')).toBe('ws://localhost:9');
    expect(checkRelayUrl('ws://[::1]:9')).toBe('ws://[::1]:9');
  });
  it('refuses ws:// to anything else', () => {
    for (const u of ['ws://relay.example.de', 'ws://10.0.0.1:80', 'ws://128.0.0.1', 'ws://localhost.evil.com', 'ws://127.0.0.1.evil.com']) {
      expect(code(() => checkRelayUrl(u)), u).toBe('INSECURE_RELAY_URL');
    }
  });
  it('refuses other schemes and garbage', () => {
    expect(code(() => checkRelayUrl('http://127.0.0.1'))).toBe('INSECURE_RELAY_URL');
    expect(code(() => checkRelayUrl('https://relay.example.de'))).toBe('INSECURE_RELAY_URL');
    expect(code(() => checkRelayUrl('not a url'))).toBe('BAD_FORMAT');
    expect(code(() => checkRelayUrl('wss://user:pw@relay.example.de'))).toBe('BAD_FORMAT');
  });
});

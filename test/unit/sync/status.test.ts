import { describe, expect, it } from 'vitest';
import { VaultError } from '../../../core/errors.js';
import { StatusHub } from '../../../core/sync/status.js';
import type { SyncStatus } from '../../../core/vault-api.js';

describe('StatusHub', () => {
  it('clears a transient error of a dropped connection once it is back online, and only that one', () => {
    const hub = new StatusHub();
    const seen: SyncStatus[] = [];
    hub.subscribe((s) => seen.push(s));
    hub.connectionChanged('connecting');
    hub.connectionChanged('offline', new VaultError('PROTOCOL_MISMATCH', 'Connection: protocol error (close 4000)'));
    expect(hub.current).toMatchObject({ connection: 'offline', lastError: { code: 'PROTOCOL_MISMATCH' } });
    hub.connectionChanged('connecting');
    expect(hub.current.lastError?.code).toBe('PROTOCOL_MISMATCH'); // still trying: still shown
    hub.connectionChanged('online');
    expect(hub.current).toEqual({ connection: 'online', pending: 0, transfers: [] });
    expect(seen.at(-1)).not.toHaveProperty('lastError');

    // an error reported after the connection's own stays when the connection comes back
    hub.connectionChanged('offline', new VaultError('RELAY_UNREACHABLE', 'Connection: no answer'));
    hub.setError(new VaultError('STALE_VERSION', 'rebase: the delete was not applied'));
    hub.connectionChanged('online');
    expect(hub.current.lastError).toEqual({ code: 'STALE_VERSION', message: 'rebase: the delete was not applied' });

    // news the user must read is not transient: blocked from one share, the device reconnects for the others
    hub.connectionChanged('offline', new VaultError('MEMBER_BLOCKED', 'Connection: this member was blocked (close 4005)'));
    hub.connectionChanged('connecting');
    hub.connectionChanged('online');
    expect(hub.current.lastError?.code).toBe('MEMBER_BLOCKED');
  });

  it('keeps transfers when an error is cleared', () => {
    const hub = new StatusHub();
    hub.transfer('a', { item: 'i', name: 'f', direction: 'up', done: 1, total: 10 } as never);
    hub.setError(new VaultError('RELAY_UNREACHABLE', 'x'));
    hub.setError(undefined);
    expect(hub.current.transfers).toHaveLength(1);
    expect(hub.current).not.toHaveProperty('lastError');
  });
});

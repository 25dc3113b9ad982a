/**
 * A relay that withholds everything: it keeps the socket open but lets no frame through (no
 * answers, no notices). The client must not look "online, all synced": its keep-alive finds the
 * silence, drops the link and keeps trying; an edit made meanwhile waits in the outbox, nothing
 * is lost, and once the relay answers again the edit arrives. (A relay that answers pings but
 * withholds only new entries cannot be told apart from a quiet share: docs/attacks.md, limit.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relayAvailable } from '../integration/sync/helpers/relay.js';
import { simDevice, synced, waitStatus } from '../integration/sync/helpers/devices.js';
import { ready } from '../../core/crypto/sodium.js';
import { sessionOf } from '../../core/vault/api.js';
import { HostileRelay } from './harness.js';
import { until } from './util.js';

let h: HostileRelay;
beforeAll(async () => {
  if (!relayAvailable) return;
  await ready();
  h = await HostileRelay.start();
});
afterAll(async () => { await h?.stop(); });

function relayVersions(item: string): number[] {
  return h.withTeamDbs((db) => db.prepare('SELECT version FROM records WHERE item = ? ORDER BY version').pluck().all(item) as number[]).flat();
}

describe.skipIf(!relayAvailable)('hostile relay: withholding every answer', () => {
  it('keep-alive detects the silent relay; the edit waits in the outbox and arrives once it answers', async () => {
    const dev = simDevice(`withhold-${process.pid}`, { keepaliveMs: 500, requestTimeoutMs: 3000 });
    const { vault: v } = await dev.launcher.createTeam({ displayName: 'Owner', teamName: 'Firm', relayUrl: h.url, password: 'withholding relay password', deviceName: 'owner' });
    const share = (await v.createShare('Akten')).id;
    const item = await v.saveNote(share, { title: 'Vertrag', body: 'v1', tags: [] });
    await synced(v);
    await sessionOf(v).engine.idle();
    expect(relayVersions(item)).toEqual([1]);

    const links = h.links.length;
    const captured = h.captured.filter((c) => c.dir === 'up').length;
    h.hooks = [(dir) => (dir === 'up' ? 'drop' : undefined)]; // the relay hears nothing, so it answers nothing
    await waitStatus(v, (s) => s.connection !== 'online', 'the keep-alive notices the silence', 10_000);
    // the keep-alive asked (and got no answer); with it off this test times out above
    expect(h.frames('up').slice(captured).map((f) => f.msg?.type)).toContain('ping');
    const states: string[] = [];
    const unsub = v.onStatus((s) => states.push(`${s.connection}/${s.pending}`));
    await v.saveNote(share, { title: 'Vertrag', body: 'v2, written while the relay was silent', tags: [] }, item);
    await waitStatus(v, (s) => s.pending >= 1, 'the edit is queued');
    await until(() => h.links.length > links || undefined, 'the client keeps trying new links');
    expect(relayVersions(item)).toEqual([1]);
    expect(states.filter((s) => s.startsWith('online/'))).toEqual([]); // never claimed online meanwhile

    h.hooks = [];
    await synced(v);
    unsub();
    expect(relayVersions(item)).toEqual([1, 2]);
    expect((await v.readNote(share, item)).body).toBe('v2, written while the relay was silent');
    await v.lock();
  });
});

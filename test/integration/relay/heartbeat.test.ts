/**
 * The relay's heartbeat: a peer that stops answering WebSocket pings (a half-open connection:
 * a laptop that slept, a NAT that forgot the flow) is terminated and its session removed; a
 * socket that never authenticates is closed; a live peer stays, and `ping` is answered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from './helpers/client.js';
import { createTeam } from './helpers/fixtures.js';
import { backends, startInProcess } from './helpers/relay-harness.js';

const BEAT = 400; // auth must finish within two beats, also on a loaded CI machine

describe('relay heartbeat', () => {
  let r: Awaited<ReturnType<typeof startInProcess>>;
  beforeAll(async () => { r = await startInProcess(backends[0]!, { limits: { heartbeatMs: BEAT } }); });
  afterAll(async () => { await r.stop(); });

  it('terminates an authenticated peer that no longer answers pings; a live peer stays and gets ping answered', async () => {
    const { c: live, team, owner } = await createTeam(r.url);
    const silent = await TestClient.open(r.url, { autoPong: false });
    let pings = 0;
    silent.ws.on('ping', () => { pings++; });
    await silent.hello();
    silent.send({ type: 'auth', method: 'device', team, device: owner.device, sig: silent.authSig(owner.deviceKeys, team, 'device', owner.device) });
    expect((await silent.next()).type).toBe('welcome');
    expect(r.relay.sessionCount()).toBe(2);

    const closed = await silent.closed;
    expect(closed.code).toBe(1006); // terminated, no closing handshake: the peer is presumed gone
    expect(pings).toBeGreaterThanOrEqual(1);
    // the relay side of the terminated socket closes in the same moment or a turn later
    for (let i = 0; i < 50 && r.relay.sessionCount() !== 1; i++) await new Promise((res) => setTimeout(res, 10));
    expect(r.relay.sessionCount()).toBe(1);

    // the live peer has answered every ping meanwhile (ws does so on its own) and still works
    await new Promise((res) => setTimeout(res, BEAT * 3));
    expect(live.closeCode).toBeNull();
    expect(await live.request({ type: 'ping' })).toMatchObject({ type: 'ok' });
    expect(r.relay.sessionCount()).toBe(1);
    live.close();
  });

  it('closes a socket that does not authenticate within two heartbeat ticks', async () => {
    const idle = await TestClient.open(r.url);
    await idle.hello(); // says hello, then nothing
    const closed = await idle.closed;
    expect(closed).toEqual({ code: 4000, reason: 'authentication timeout' });
    expect(await idle.next((m) => m.type === 'closing')).toMatchObject({ code: 4000 });
  });

  it('a ping before auth is refused as NOT_AUTHENTICATED, an unknown field as BAD_FIELD', async () => {
    const c = await TestClient.open(r.url);
    expect(await c.request({ type: 'ping' })).toMatchObject({ type: 'error', code: 'NOT_AUTHENTICATED' });
    c.close();
    const { c: a } = await createTeam(r.url);
    expect(await a.request({ type: 'ping', extra: 1 })).toMatchObject({ type: 'error', code: 'BAD_FIELD' });
    a.close();
  });
});

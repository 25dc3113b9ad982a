/**
 * protocol/relay-probe.ts: the one "does a relay answer here?" probe of main and the web client.
 * Against a real relay on a real port, a closed port, a server that accepts TCP but never
 * answers the upgrade, and a URL the socket refuses to open. Node 20 has no global WebSocket,
 * so the `ws` package's socket is passed in (as the browser's is by default).
 */
import { createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { probeRelay } from '../../../protocol/relay-probe.js';
import { backends, startInProcess } from '../../integration/relay/helpers/relay-harness.js';

const connect = (url: string) => new WebSocket(url);

/** A port nothing listens on: bound once, then freed. */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('probeRelay (protocol/relay-probe.ts)', () => {
  let r: Awaited<ReturnType<typeof startInProcess>>;
  beforeAll(async () => { r = await startInProcess(backends[0]!); });
  afterAll(async () => { await r.stop(); });

  it('answers true for a running relay', async () => {
    expect(await probeRelay(r.url, { connect })).toBe(true);
  });

  it('closes its socket once it opened', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((res) => wss.once('listening', res));
    const closed = new Promise<number>((res) => wss.once('connection', (s) => s.once('close', (code) => res(code))));
    expect(await probeRelay(`ws://127.0.0.1:${(wss.address() as { port: number }).port}`, { connect })).toBe(true);
    expect(await closed).toBe(1005); // a close frame without a code: ws.close()
    expect(wss.clients.size).toBe(0);
    await new Promise((res) => wss.close(res));
  });

  it('answers false for a port nothing listens on', async () => {
    expect(await probeRelay(`ws://127.0.0.1:${await freePort()}`, { connect })).toBe(false);
  });

  it('answers false when the server never completes the upgrade, after timeoutMs, and drops the connection', async () => {
    const sockets: Socket[] = [];
    const ended = new Promise<void>((res) => {
      const srv = createServer((s) => { sockets.push(s); s.resume(); s.on('close', () => res()); }); // resume: read the upgrade request, never answer it
      srv.listen(0, '127.0.0.1', async () => {
        const port = (srv.address() as { port: number }).port;
        expect(await probeRelay(`ws://127.0.0.1:${port}`, { connect, timeoutMs: 200 })).toBe(false);
        srv.close();
      });
    });
    await ended; // the probe's socket was closed, not left hanging
    expect(sockets).toHaveLength(1);
  });

  it('answers false when the socket cannot even be created (not a URL; no WebSocket in the runtime)', async () => {
    expect(await probeRelay('not a url', { connect })).toBe(false);
    const hasGlobal = typeof (globalThis as { WebSocket?: unknown }).WebSocket === 'function';
    if (!hasGlobal) expect(await probeRelay(r.url)).toBe(false); // Node 20: the default connect throws
  });
});

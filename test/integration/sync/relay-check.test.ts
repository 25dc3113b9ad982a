/**
 * "Check connection" (issue 16, first run): the launcher's checkRelay against a real relay
 * process, a real WebSocket server that is not Truhe, a port nobody listens on, and refused
 * URLs. Each case breaks one thing; the answer is the typed code the UI words.
 */
import { createServer, type AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { startProcess, type RelayProcess } from '../relay/helpers/relay-harness.js';
import { simDevice } from './helpers/devices.js';

const dir = mkdtempSync(join(tmpdir(), 'truhe-check-'));
let relay: RelayProcess;
let other: WebSocketServer;
let silent: WebSocketServer;
let freePort: number;
const launcher = simDevice('relay-check').launcher;

beforeAll(async () => {
  relay = await startProcess(dir);
  other = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  other.on('connection', (ws) => ws.on('message', () => ws.send(JSON.stringify({ hello: 'I am a chat server' }))));
  silent = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await Promise.all([other, silent].map((s) => new Promise((r) => s.once('listening', r))));
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
  freePort = (probe.address() as AddressInfo).port;
  await new Promise((r) => probe.close(r));
});
afterAll(async () => {
  await relay.stop();
  for (const s of [other, silent]) await new Promise((r) => s.close(r));
  rmSync(dir, { recursive: true, force: true });
});

const port = (s: WebSocketServer) => (s.address() as AddressInfo).port;

describe('launcher.checkRelay', () => {
  it('a Truhe relay: its normalised URL and host', async () => {
    expect(await launcher.checkRelay(`${relay.url}/`)).toEqual({ url: relay.url, host: `127.0.0.1:${relay.port}` });
  });
  it('plain ws:// off this machine: INSECURE_RELAY_URL, before any connection', async () => {
    await expect(launcher.checkRelay('ws://relay.kanzlei.de')).rejects.toMatchObject({ code: 'INSECURE_RELAY_URL' });
    await expect(launcher.checkRelay('https://relay.kanzlei.de')).rejects.toMatchObject({ code: 'INSECURE_RELAY_URL' });
  });
  it('not a URL: BAD_FORMAT', async () => {
    await expect(launcher.checkRelay('relay kanzlei')).rejects.toMatchObject({ code: 'BAD_FORMAT' });
  });
  it('nobody listens: RELAY_UNREACHABLE', async () => {
    await expect(launcher.checkRelay(`ws://127.0.0.1:${freePort}`)).rejects.toMatchObject({ code: 'RELAY_UNREACHABLE' });
  });
  it('another WebSocket service answers: NOT_A_RELAY', async () => {
    await expect(launcher.checkRelay(`ws://127.0.0.1:${port(other)}`)).rejects.toMatchObject({ code: 'NOT_A_RELAY' });
  });
  it('a WebSocket server that accepts and says nothing: NOT_A_RELAY after the timeout', async () => {
    await expect(launcher.checkRelay(`ws://127.0.0.1:${port(silent)}`)).rejects.toMatchObject({ code: 'NOT_A_RELAY' });
  }, 20_000);
});

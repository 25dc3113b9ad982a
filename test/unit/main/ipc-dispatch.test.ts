import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IPC_CHANNELS, IPC_CONTRACT, IPC_ERROR_CODES, MAX_CHUNK_BYTES, bridgePath, type IpcResult } from '../../../main/ipc-contract.js';
import { createDispatcher, isTrustedSender, type Dispatch, type IpcEventLike } from '../../../main/ipc-dispatch.js';
import { createIpcHandlers } from '../../../main/ipc-handlers.js';
import { createFileReads } from '../../../main/file-reads.js';
import { createExportWrites, PART_SUFFIX, safeFileName } from '../../../main/export-writes.js';
import { createKeychainStore } from '../../../main/keychain-store.js';
import { VAULT_ERROR_CODES } from '../../../core/errors.js';

const OURS = { webContentsId: 7, origin: 'app://truhe' };
const goodEvent: IpcEventLike = { sender: { id: 7 }, senderFrame: { url: 'app://truhe/index.html', parent: null } };

let dir: string;
let dispatch: Dispatch;
let picks: string[];
let saveTarget: string | null;
let relayUrl: string;
let pending: string[];
let confirmations: string[];
let confirmAnswer: boolean;
let reachable: boolean;
let clip: string;

const call = (channel: string, ...args: unknown[]) => dispatch(channel, goodEvent, args);
const errorCode = (r: IpcResult<unknown>) => (r.ok ? 'OK' : r.error.code);
const value = <T>(r: IpcResult<unknown>): T => {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r.value as T;
};

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'truhe-ipc-'));
  picks = [];
  saveTarget = null;
  relayUrl = 'ws://127.0.0.1:8787';
  pending = [];
  confirmations = [];
  confirmAnswer = true;
  reachable = true;
  clip = '';
  // A reversible fake "OS cipher" so the test can see the file holds no plaintext.
  const cipher = {
    available: () => true,
    encrypt: (s: string) => Buffer.from(s, 'utf8').map((b) => b ^ 0x5a) as Buffer,
    decrypt: (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a)).toString('utf8'),
  };
  const handlers = createIpcHandlers({
    dialogs: { pickFiles: async () => picks, pickSaveTarget: async () => saveTarget },
    files: createFileReads(4),
    exports: createExportWrites(),
    keychain: createKeychainStore(join(dir, 'keychain.json'), cipher),
    idleSeconds: () => 42.7,
    relay: {
      get: () => relayUrl,
      set: async (u) => void (relayUrl = u),
      confirm: async (relay) => (confirmations.push(relay.host), confirmAnswer),
      probe: async () => reachable,
      takePendingLinks: async () => pending.splice(0),
    },
    clipboard: { readText: async () => clip, writeText: async (t) => void (clip = t) },
  });
  dispatch = createDispatcher({ handlers, isTrusted: (e) => isTrustedSender(e, OURS) });
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe('sender check', () => {
  it('accepts only our window, top frame, our origin', () => {
    expect(isTrustedSender(goodEvent, OURS)).toBe(true);
    expect(isTrustedSender({ ...goodEvent, sender: { id: 8 } }, OURS)).toBe(false);
    expect(isTrustedSender({ ...goodEvent, senderFrame: { url: 'https://evil.example/', parent: null } }, OURS)).toBe(false);
    expect(isTrustedSender({ ...goodEvent, senderFrame: { url: 'app://truhe/x', parent: {} } }, OURS)).toBe(false);
    expect(isTrustedSender({ ...goodEvent, senderFrame: null }, OURS)).toBe(false);
    expect(isTrustedSender(goodEvent, null)).toBe(false);
  });

  it('refuses a foreign sender before looking at the request', async () => {
    const r = await dispatch('keychain:available', { sender: { id: 99 }, senderFrame: goodEvent.senderFrame }, [{}]);
    expect(errorCode(r)).toBe('NOT_ALLOWED');
    const frame = await dispatch('keychain:available', { sender: { id: 7 }, senderFrame: { url: 'file:///tmp/x.html', parent: null } }, [{}]);
    expect(errorCode(frame)).toBe('NOT_ALLOWED');
  });
});

describe('contract', () => {
  it('every error code is a VaultErrorCode the UI already knows', () => {
    for (const c of IPC_ERROR_CODES) expect(VAULT_ERROR_CODES).toContain(c);
  });

  it('maps channels to bridge paths', () => {
    expect(bridgePath('files:read-chunk')).toEqual(['files', 'readChunk']);
    expect(bridgePath('system:idle-seconds')).toEqual(['system', 'idleSeconds']);
    expect(new Set(IPC_CHANNELS.map((c) => bridgePath(c).join('.'))).size).toBe(IPC_CHANNELS.length);
  });

  it('unknown channels are refused', async () => {
    expect(errorCode(await call('shell:exec', { cmd: 'rm -rf /' }))).toBe('NOT_ALLOWED');
    expect(errorCode(await call('__proto__', {}))).toBe('NOT_ALLOWED');
  });

  // Per channel: wrong type, extra field, missing argument, two arguments.
  for (const channel of IPC_CHANNELS) {
    it(`${channel}: refuses wrong types, extra fields and wrong arity`, async () => {
      expect(errorCode(await call(channel, 'a string'))).toBe('BAD_FORMAT');
      expect(errorCode(await call(channel, null))).toBe('BAD_FORMAT');
      expect(errorCode(await call(channel, [1, 2]))).toBe('BAD_FORMAT');
      expect(errorCode(await call(channel))).toBe('BAD_FORMAT');
      expect(errorCode(await call(channel, {}, {}))).toBe('BAD_FORMAT');
      const shape = (IPC_CONTRACT[channel].request as unknown as { shape: Record<string, unknown> }).shape;
      const sample: Record<string, unknown> = {};
      for (const key of Object.keys(shape)) sample[key] = Symbol('wrong');
      if (Object.keys(shape).length > 0) expect(errorCode(await call(channel, sample))).toBe('BAD_FORMAT');
      expect(errorCode(await call(channel, { ...validRequest(channel), evil: true }))).toBe('BAD_FORMAT');
    });
  }
});

function validRequest(channel: string): Record<string, unknown> {
  const h = 'A'.repeat(43);
  const samples: Record<string, Record<string, unknown>> = {
    'files:open': { multiple: false },
    'files:read-chunk': { handle: h },
    'files:close': { handle: h },
    'export:begin': { suggestedName: 'a.txt' },
    'export:write': { handle: h, bytes: new Uint8Array(1) },
    'export:end': { handle: h, commit: false },
    'keychain:remember': { account: 'a', secretKey: 'k' },
    'keychain:recall': { account: 'a' },
    'keychain:forget': { account: 'a' },
    'relay:set': { url: 'wss://relay.example.de' },
    'clipboard:write': { text: 'x' },
    'clipboard:clear-if': { text: 'x' },
  };
  return samples[channel] ?? {};
}

describe('files: open and read by handle', () => {
  it('streams a picked file in chunks and never returns a path', async () => {
    const path = join(dir, 'Vertrag 2024.pdf');
    await writeFile(path, 'hello, world');
    picks = [path];
    const files = value<Array<Record<string, unknown>>>(await call('files:open', { multiple: false }));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatchObject({ name: 'Vertrag 2024.pdf', type: 'application/octet-stream', size: 12 });
    expect(Object.keys(files[0]!).sort()).toEqual(['handle', 'name', 'size', 'type']);
    expect(JSON.stringify(files)).not.toContain(dir);
    const handle = files[0]!['handle'] as string;
    const chunks: string[] = [];
    for (;;) {
      const r = value<{ bytes: Uint8Array; done: boolean }>(await call('files:read-chunk', { handle }));
      chunks.push(Buffer.from(r.bytes).toString());
      if (r.done) break;
    }
    expect(chunks.join('')).toBe('hello, world');
    expect(chunks[0]).toBe('hell');
    // The handle is gone after the end of the file.
    expect(errorCode(await call('files:read-chunk', { handle }))).toBe('NOT_FOUND');
  });

  it('refuses handles it did not hand out', async () => {
    expect(errorCode(await call('files:read-chunk', { handle: 'B'.repeat(43) }))).toBe('NOT_FOUND');
    expect(errorCode(await call('files:close', { handle: 'B'.repeat(43) }))).toBe('NOT_FOUND');
    expect(errorCode(await call('export:write', { handle: 'B'.repeat(43), bytes: new Uint8Array(1) }))).toBe('NOT_FOUND');
    expect(errorCode(await call('files:read-chunk', { handle: '/etc/passwd' }))).toBe('BAD_FORMAT');
  });

  it('returns [] when the dialog is cancelled, and refuses directories', async () => {
    expect(value(await call('files:open', { multiple: true }))).toEqual([]);
    picks = [dir];
    expect(errorCode(await call('files:open', { multiple: false }))).toBe('BAD_FORMAT');
  });

  it('hides Node error details (paths) behind INTERNAL', async () => {
    picks = [join(dir, 'missing.txt')];
    const r = await call('files:open', { multiple: false });
    expect(errorCode(r)).toBe('INTERNAL');
    expect(JSON.stringify(r)).not.toContain(dir);
  });
});

describe('export: begin, write, end', () => {
  it('writes through a part file and renames on commit', async () => {
    saveTarget = join(dir, 'export.zip');
    const handle = value<string>(await call('export:begin', { suggestedName: '../../etc/passwd' }));
    expect(handle).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(value(await call('export:write', { handle, bytes: new TextEncoder().encode('PK..') }))).toBeNull();
    expect(await readdir(dir)).toContain(`export.zip${PART_SUFFIX}`);
    expect(value(await call('export:end', { handle, commit: true }))).toBeNull();
    expect(await readFile(saveTarget, 'utf8')).toBe('PK..');
    expect(errorCode(await call('export:write', { handle, bytes: new Uint8Array(1) }))).toBe('NOT_FOUND');
  });

  it('deletes the part file on abort and answers null on cancel', async () => {
    saveTarget = join(dir, 'x.zip');
    const handle = value<string>(await call('export:begin', { suggestedName: 'x.zip' }));
    await call('export:end', { handle, commit: false });
    expect(await readdir(dir)).toEqual([]);
    saveTarget = null;
    expect(value(await call('export:begin', { suggestedName: 'x.zip' }))).toBeNull();
  });

  it('refuses oversize chunks with TOO_LARGE and non-bytes with BAD_FORMAT', async () => {
    saveTarget = join(dir, 'big.bin');
    const handle = value<string>(await call('export:begin', { suggestedName: 'big.bin' }));
    expect(errorCode(await call('export:write', { handle, bytes: new Uint8Array(MAX_CHUNK_BYTES + 1) }))).toBe('TOO_LARGE');
    expect(errorCode(await call('export:write', { handle, bytes: [1, 2, 3] }))).toBe('BAD_FORMAT');
    expect(errorCode(await call('export:write', { handle, bytes: 'AAAA' }))).toBe('BAD_FORMAT');
    expect(errorCode(await call('export:begin', { suggestedName: 'x'.repeat(256) }))).toBe('TOO_LARGE');
    expect(errorCode(await call('keychain:remember', { account: 'a', secretKey: 'k'.repeat(10_000) }))).toBe('TOO_LARGE');
  });

  it('cleans suggested names', () => {
    expect(safeFileName('../../etc/passwd')).toBe('_.._etc_passwd');
    expect(safeFileName('a\u0000b:c.txt')).toBe('a_b_c.txt');
    expect(safeFileName('...')).toBe('export');
  });
});

describe('keychain, idle, links, relay', () => {
  it('remembers, recalls, forgets; stores no plaintext', async () => {
    expect(value(await call('keychain:available', {}))).toBe(true);
    expect(value(await call('keychain:recall', { account: 'anna' }))).toBeNull();
    await call('keychain:remember', { account: 'anna', secretKey: 'A3-SECRET-KEY' });
    expect(value(await call('keychain:recall', { account: 'anna' }))).toBe('A3-SECRET-KEY');
    expect(await readFile(join(dir, 'keychain.json'), 'utf8')).not.toContain('SECRET');
    await call('keychain:forget', { account: 'anna' });
    expect(value(await call('keychain:recall', { account: 'anna' }))).toBeNull();
    await call('keychain:remember', { account: '__proto__', secretKey: 'x' });
    expect(value(await call('keychain:recall', { account: '__proto__' }))).toBe('x');
  });

  it('reports whole idle seconds and hands pending links out once', async () => {
    expect(value(await call('system:idle-seconds', {}))).toBe(42);
    pending.push('truhe://join?relay=x');
    expect(value(await call('links:pending', {}))).toEqual(['truhe://join?relay=x']);
    expect(value(await call('links:pending', {}))).toEqual([]);
  });

  it('switches the relay only after the confirmation naming its host', async () => {
    confirmAnswer = false;
    expect(errorCode(await call('relay:set', { url: 'wss://relay.kanzlei.de:8443' }))).toBe('NOT_ALLOWED');
    expect(confirmations).toEqual(['relay.kanzlei.de:8443']);
    expect(value(await call('relay:get', {}))).toBe('ws://127.0.0.1:8787');
    confirmAnswer = true;
    expect(value(await call('relay:set', { url: 'wss://relay.kanzlei.de:8443/' }))).toBeNull();
    expect(value(await call('relay:get', {}))).toBe('wss://relay.kanzlei.de:8443');
    // The same relay again: nothing to confirm, nothing changes.
    expect(value(await call('relay:set', { url: 'wss://relay.kanzlei.de:8443' }))).toBeNull();
    expect(confirmations).toHaveLength(2);
  });

  it('does not switch to a confirmed relay that does not answer (RELAY_UNREACHABLE)', async () => {
    reachable = false;
    expect(errorCode(await call('relay:set', { url: 'wss://relay.kanzlei.de' }))).toBe('RELAY_UNREACHABLE');
    expect(confirmations).toEqual(['relay.kanzlei.de']);
    expect(value(await call('relay:get', {}))).toBe('ws://127.0.0.1:8787');
  });

  it('sets only acceptable relays', async () => {
    expect(value(await call('relay:set', { url: 'wss://relay.example.de' }))).toBeNull();
    expect(value(await call('relay:get', {}))).toBe('wss://relay.example.de');
    expect(errorCode(await call('relay:set', { url: 'ws://relay.example.de' }))).toBe('INSECURE_RELAY_URL');
    expect(errorCode(await call('relay:set', { url: 'javascript:alert(1)' }))).toBe('INSECURE_RELAY_URL');
    expect(errorCode(await call('relay:set', { url: 'wss://relay.example.de/?x=1' }))).toBe('BAD_FORMAT');
    expect(value(await call('relay:get', {}))).toBe('wss://relay.example.de');
  });
});

describe('clipboard', () => {
  it('writes text, and clears it only while it still holds that text', async () => {
    expect(value(await call('clipboard:write', { text: 'A3-SECRET' }))).toBeNull();
    expect(clip).toBe('A3-SECRET');
    expect(value(await call('clipboard:clear-if', { text: 'A3-OTHER' }))).toBe(false);
    expect(clip).toBe('A3-SECRET');
    expect(value(await call('clipboard:clear-if', { text: 'A3-SECRET' }))).toBe(true);
    expect(clip).toBe('');
    clip = 'what the person copied since';
    expect(value(await call('clipboard:clear-if', { text: 'A3-SECRET' }))).toBe(false);
    expect(clip).toBe('what the person copied since');
  });

  it('refuses empty and oversize text', async () => {
    expect(errorCode(await call('clipboard:write', { text: '' }))).toBe('BAD_FORMAT');
    expect(errorCode(await call('clipboard:write', { text: 'x'.repeat(4097) }))).toBe('TOO_LARGE');
    expect(clip).toBe('');
  });
});

describe('keychain without an OS keychain', () => {
  it('says unavailable and refuses to store', async () => {
    const kc = createKeychainStore(join(dir, 'k.json'), { available: () => false, encrypt: () => Buffer.alloc(0), decrypt: () => '' });
    expect(kc.available()).toBe(false);
    await expect(kc.remember('a', 'b')).rejects.toMatchObject({ code: 'NOT_ALLOWED' });
  });
});

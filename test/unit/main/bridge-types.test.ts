import { describe, expect, it } from 'vitest';
import type { TruheBridge } from '../../../main/ipc-contract.js';
import { createElectronPlatform, type ElectronBridge } from '../../../renderer/platform/electron-platform.js';
import { isVaultError } from '../../../core/errors.js';

// Compile-time proof (root tsconfig type-checks test/): the bridge the preload builds from the
// contract is exactly what the renderer's Electron platform expects.
type Assert<T extends true> = T;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export type BridgeMatches = Assert<Same<keyof TruheBridge, keyof ElectronBridge>>;
const asRenderer = (b: TruheBridge): ElectronBridge => b;
void asRenderer;

/** An in-memory fake bridge to drive the platform. */
function fakeBridge(fileBytes: Uint8Array) {
  const written: Uint8Array[] = [];
  let ended: boolean | null = null;
  let position = 0;
  const ok = <T>(value: T) => Promise.resolve({ ok: true as const, value });
  const lockListeners: Array<(r: 'suspend' | 'lock-screen' | 'user') => void> = [];
  let pending = ['truhe://join?relay=a'];
  const bridge: ElectronBridge = {
    files: {
      open: () => ok([{ handle: 'H'.repeat(43), name: 'a.txt', type: 'text/plain', size: fileBytes.byteLength }]),
      readChunk: () => {
        const bytes = fileBytes.subarray(position, position + 3);
        position += 3;
        return ok({ bytes, done: position >= fileBytes.byteLength });
      },
      close: () => ok(null),
    },
    export: {
      begin: ({ suggestedName }) => ok(suggestedName === 'cancel' ? null : 'E'.repeat(43)),
      write: ({ bytes }) => (written.push(bytes), ok(null)),
      end: ({ commit }) => ((ended = commit), ok(null)),
    },
    keychain: {
      available: () => ok(true),
      remember: () => Promise.resolve({ ok: false as const, error: { code: 'NOT_ALLOWED' as const, message: 'keychain:remember: no OS keychain' } }),
      recall: () => ok('KEY'),
      forget: () => ok(null),
    },
    system: { idleSeconds: () => ok(12) },
    links: { pending: () => { const p = pending; pending = []; return ok(p); } },
    relay: { get: () => ok('wss://r.de'), set: () => ok(null) },
    clipboard: { write: () => ok(null), clearIf: ({ text }) => ok(text === 'mine') },
    on: {
      lock: (l) => (lockListeners.push(l), () => undefined),
      joinLinks: () => () => undefined,
    },
  };
  return { bridge, written, ended: () => ended, fireLock: (r: 'suspend') => lockListeners.forEach((l) => l(r)) };
}

describe('electron platform over the bridge', () => {
  it('streams picked files, saves exports, maps errors to VaultError', async () => {
    const f = fakeBridge(new TextEncoder().encode('hello world'));
    const p = await createElectronPlatform(f.bridge);
    expect(p.kind).toBe('electron');
    expect(p.keychain.available).toBe(true);
    const [file] = await p.openFiles();
    const text = await new Response(file!.stream()).text();
    expect(text).toBe('hello world');
    expect(() => file!.stream()).toThrow(/read once/);

    const saved = await p.saveFile('x.zip', new Blob(['abc']).stream());
    expect(saved).toBe(true);
    expect(f.ended()).toBe(true);
    expect(Buffer.concat(f.written).toString()).toBe('abc');
    expect(await p.saveFile('cancel', new Blob(['abc']).stream())).toBe(false);

    await expect(p.keychain.remember('a', 'b')).rejects.toSatisfy((e: unknown) => isVaultError(e, 'NOT_ALLOWED'));
    expect(await p.keychain.recall('a')).toBe('KEY');
    expect(await p.idleSeconds()).toBe(12);
    await p.clipboard.write('mine');
    expect(await p.clipboard.clearIf('mine')).toBe(true);
    expect(await p.clipboard.clearIf('other')).toBe(false);

    const reasons: string[] = [];
    p.onLockEvent((r) => reasons.push(r));
    f.fireLock('suspend');
    expect(reasons).toEqual(['suspend']);

    const links: string[] = [];
    p.onJoinLink((l) => links.push(l));
    await new Promise((r) => setTimeout(r, 0));
    expect(links).toEqual(['truhe://join?relay=a']);
  });
});

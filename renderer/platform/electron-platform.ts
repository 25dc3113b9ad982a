/**
 * The Platform on top of the Electron preload bridge (`window.truhe`, built in
 * main/preload.cts from main/ipc-contract.ts). Main validates every call; here each answer's
 * `{ok:false, error}` becomes a VaultError with the same code. The renderer never sees a path:
 * picked files are opaque handles read chunk by chunk, exports are written by handle.
 *
 * The bridge shape is written out here because renderer/ may not import main/; a type test
 * (test/unit/main/bridge-types.test.ts) proves it matches the contract.
 */
import { isVaultError, VaultError, type VaultErrorCode } from '../../core/errors.js';
import type { LockReason, PickedFile, Platform } from './platform.js';

export type BridgeResult<T> = { ok: true; value: T } | { ok: false; error: { code: VaultErrorCode; message: string } };
type Call<Req, Res> = (request: Req) => Promise<BridgeResult<Res>>;
type Empty = Record<string, never>;

export interface ElectronBridge {
  files: {
    open: Call<{ multiple: boolean }, Array<{ handle: string; name: string; type: string; size: number }>>;
    readChunk: Call<{ handle: string }, { bytes: Uint8Array; done: boolean }>;
    close: Call<{ handle: string }, null>;
  };
  export: {
    begin: Call<{ suggestedName: string }, string | null>;
    write: Call<{ handle: string; bytes: Uint8Array }, null>;
    end: Call<{ handle: string; commit: boolean }, null>;
  };
  keychain: {
    available: Call<Empty, boolean>;
    remember: Call<{ account: string; secretKey: string }, null>;
    recall: Call<{ account: string }, string | null>;
    forget: Call<{ account: string }, null>;
  };
  system: { idleSeconds: Call<Empty, number> };
  links: { pending: Call<Empty, string[]> };
  relay: { get: Call<Empty, string>; set: Call<{ url: string }, null> };
  clipboard: { write: Call<{ text: string }, null>; clearIf: Call<{ text: string }, boolean> };
  on: {
    lock(listener: (reason: 'suspend' | 'lock-screen' | 'user') => void): () => void;
    joinLinks(listener: () => void): () => void;
  };
}

/** Largest chunk main accepts in one export:write (main/ipc-contract.ts MAX_CHUNK_BYTES). */
const MAX_WRITE = 1024 * 1024;

async function unwrap<T>(what: string, p: Promise<BridgeResult<T>>): Promise<T> {
  const r = await p;
  if (r.ok) return r.value;
  throw new VaultError(r.error.code, `${what}: ${r.error.message}`);
}

export function bridgeFromWindow(): ElectronBridge | null {
  const w = globalThis as unknown as { truhe?: ElectronBridge };
  return w.truhe ?? null;
}

function pickedFile(bridge: ElectronBridge, f: { handle: string; name: string; type: string; size: number }): PickedFile {
  let used = false;
  return {
    name: f.name,
    type: f.type,
    size: f.size,
    stream() {
      if (used) throw new VaultError('NOT_ALLOWED', 'PickedFile.stream: a picked file can be read once');
      used = true;
      let finished = false;
      return new ReadableStream<Uint8Array>({
        async pull(controller) {
          const { bytes, done } = await unwrap('PickedFile.stream', bridge.files.readChunk({ handle: f.handle }));
          if (bytes.byteLength > 0) controller.enqueue(bytes);
          if (done) {
            finished = true;
            controller.close();
          }
        },
        async cancel() {
          if (!finished) await bridge.files.close({ handle: f.handle });
        },
      });
    },
  };
}

async function saveFile(bridge: ElectronBridge, suggestedName: string, data: ReadableStream<Uint8Array>): Promise<boolean> {
  const handle = await unwrap('saveFile', bridge.export.begin({ suggestedName }));
  if (handle === null) {
    await data.cancel();
    return false;
  }
  const reader = data.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      for (let at = 0; at < value.byteLength; at += MAX_WRITE) {
        await unwrap('saveFile', bridge.export.write({ handle, bytes: value.subarray(at, at + MAX_WRITE) }));
      }
    }
  } catch (e) {
    await bridge.export.end({ handle, commit: false });
    await reader.cancel().catch(() => undefined);
    throw e;
  }
  await unwrap('saveFile', bridge.export.end({ handle, commit: true }));
  return true;
}

/** Builds the Electron Platform; asks main once whether an OS keychain exists. */
export async function createElectronPlatform(bridge: ElectronBridge): Promise<Platform> {
  const keychainAvailable = await unwrap('createElectronPlatform', bridge.keychain.available({}));
  return {
    kind: 'electron',
    async openFiles(opts) {
      const files = await unwrap('openFiles', bridge.files.open({ multiple: opts?.multiple ?? false }));
      return files.map((f) => pickedFile(bridge, f));
    },
    saveFile: (name, data) => saveFile(bridge, name, data),
    keychain: {
      available: keychainAvailable,
      remember: async (account, secretKey) => void (await unwrap('keychain.remember', bridge.keychain.remember({ account, secretKey }))),
      recall: (account) => unwrap('keychain.recall', bridge.keychain.recall({ account })),
      forget: async (account) => void (await unwrap('keychain.forget', bridge.keychain.forget({ account }))),
    },
    onLockEvent: (listener: (reason: LockReason) => void) => bridge.on.lock(listener),
    idleSeconds: () => unwrap('idleSeconds', bridge.system.idleSeconds({})),
    onJoinLink(listener) {
      const take = async () => {
        const links = await unwrap('onJoinLink', bridge.links.pending({}));
        for (const link of links) listener(link);
      };
      const off = bridge.on.joinLinks(() => void take().catch(() => undefined));
      void take().catch(() => undefined);
      return off;
    },
    clipboard: {
      write: async (text) => void (await unwrap('clipboard.write', bridge.clipboard.write({ text }))),
      clearIf: (text) => unwrap('clipboard.clearIf', bridge.clipboard.clearIf({ text })),
    },
    relay: {
      current: () => unwrap('relay.current', bridge.relay.get({})),
      async choose(url) {
        if ((await unwrap('relay.current', bridge.relay.get({}))) === url) return 'unchanged';
        try {
          // Main validates, asks in a native dialog naming the host, persists and reloads us.
          await unwrap('relay.choose', bridge.relay.set({ url }));
          return 'switched';
        } catch (e) {
          if (isVaultError(e) && e.code === 'NOT_ALLOWED') return 'declined';
          throw e;
        }
      },
    },
  };
}

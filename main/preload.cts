/**
 * The preload of the sandboxed renderer. CommonJS and self-contained: a sandboxed preload may
 * require only `electron` (and a few Node polyfills), never another file, so the channel list is
 * written out here and the type checker proves it equals the contract (ipc-contract.ts).
 *
 * Exposes one frozen object, `window.truhe`: one function per channel ('files:read-chunk' →
 * truhe.files.readChunk(request)) answering `{ok, value} | {ok:false, error}`, plus two event
 * subscriptions. Never the raw ipcRenderer. Main validates every request; nothing is trusted here.
 */
import electron = require('electron');
import type { IpcChannel, TruheBridge } from './ipc-contract.js';

const CHANNELS = [
  'files:open',
  'files:read-chunk',
  'files:close',
  'export:begin',
  'export:write',
  'export:end',
  'keychain:available',
  'keychain:remember',
  'keychain:recall',
  'keychain:forget',
  'system:idle-seconds',
  'links:pending',
  'relay:get',
  'relay:set',
  'clipboard:write',
  'clipboard:clear-if',
] as const satisfies readonly IpcChannel[];
type Missing = Exclude<IpcChannel, (typeof CHANNELS)[number]>;
const everyChannelListed: [Missing] extends [never] ? true : Missing = true;
void everyChannelListed;

const { contextBridge, ipcRenderer } = electron;
const LOCK_REASONS = new Set(['suspend', 'lock-screen', 'user']);

function buildBridge(): TruheBridge {
  const calls: Record<string, Record<string, (request: unknown) => Promise<unknown>>> = {};
  for (const channel of CHANNELS) {
    const [ns = '', verb = ''] = channel.split(':');
    const name = verb.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
    (calls[ns] ??= {})[name] = (request: unknown) => ipcRenderer.invoke(channel, request);
  }
  const on: TruheBridge['on'] = {
    lock(listener) {
      const wrapped = (_e: unknown, reason: unknown) => {
        if (typeof reason === 'string' && LOCK_REASONS.has(reason)) listener(reason as Parameters<typeof listener>[0]);
      };
      ipcRenderer.on('event:lock', wrapped);
      return () => void ipcRenderer.removeListener('event:lock', wrapped);
    },
    joinLinks(listener) {
      const wrapped = () => listener();
      ipcRenderer.on('event:join-links', wrapped);
      return () => void ipcRenderer.removeListener('event:join-links', wrapped);
    },
  };
  for (const group of Object.values(calls)) Object.freeze(group);
  return Object.freeze({ ...calls, on: Object.freeze(on) }) as unknown as TruheBridge;
}

contextBridge.exposeInMainWorld('truhe', buildBridge());

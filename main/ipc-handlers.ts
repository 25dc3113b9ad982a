/**
 * The handler of every IPC channel, built from injected services so tests run them with fake
 * dialogs and a temp directory. Electron objects are wired in setup-ipc.ts.
 */
import type { IpcHandlers } from './ipc-dispatch.js';
import { IpcError } from './ipc-dispatch.js';
import type { FileReads } from './file-reads.js';
import { safeFileName, type ExportWrites } from './export-writes.js';
import type { KeychainStore } from './keychain-store.js';
import type { AcceptedRelayUrl } from '../protocol/relay-url.js';
import { acceptRelayUrl, RelayUrlError } from './relay-origin.js';
import { planRelaySwitch, type RelaySwitchPlan } from './relay-switch.js';

export interface Dialogs {
  /** Paths the user picked; [] when cancelled. */
  pickFiles(multiple: boolean): Promise<string[]>;
  /** Target path the user chose; null when cancelled. */
  pickSaveTarget(suggestedName: string): Promise<string | null>;
}

export interface RelaySetting {
  get(): string;
  /** The native confirmation naming the relay's host; true when the person chose to switch. */
  confirm(relay: AcceptedRelayUrl): Promise<boolean>;
  /** Opens and closes one WebSocket to the relay; false when it does not answer. */
  probe(url: string): Promise<boolean>;
  /** Persists the URL and reloads the window so the CSP allows the new origin. */
  set(url: string): Promise<void>;
  /** Join links the OS handed over, gated by their relay (relay-switch.ts gateJoinLinks). */
  takePendingLinks(): Promise<string[]>;
}

export interface HandlerServices {
  dialogs: Dialogs;
  files: FileReads;
  exports: ExportWrites;
  keychain: KeychainStore;
  /** powerMonitor.getSystemIdleTime(), in seconds. */
  idleSeconds(): number;
  relay: RelaySetting;
  /** Electron's clipboard (plain text). */
  clipboard: { readText(): Promise<string>; writeText(text: string): Promise<void> };
}

export function createIpcHandlers(s: HandlerServices): IpcHandlers {
  return {
    'files:open': async ({ multiple }) => {
      const paths = await s.dialogs.pickFiles(multiple);
      return s.files.register(multiple ? paths : paths.slice(0, 1));
    },
    'files:read-chunk': ({ handle }) => s.files.readChunk(handle),
    'files:close': async ({ handle }) => {
      await s.files.close(handle);
      return null;
    },
    'export:begin': async ({ suggestedName }) => {
      const target = await s.dialogs.pickSaveTarget(safeFileName(suggestedName));
      return target === null ? null : s.exports.begin(target);
    },
    'export:write': async ({ handle, bytes }) => {
      await s.exports.write(handle, bytes);
      return null;
    },
    'export:end': async ({ handle, commit }) => {
      await s.exports.end(handle, commit);
      return null;
    },
    'keychain:available': () => s.keychain.available(),
    'keychain:remember': async ({ account, secretKey }) => {
      await s.keychain.remember(account, secretKey);
      return null;
    },
    'keychain:recall': ({ account }) => s.keychain.recall(account),
    'keychain:forget': async ({ account }) => {
      await s.keychain.forget(account);
      return null;
    },
    'system:idle-seconds': () => Math.max(0, Math.floor(s.idleSeconds())),
    'links:pending': () => s.relay.takePendingLinks(),
    'relay:get': () => s.relay.get(),
    'clipboard:write': async ({ text }) => {
      await s.clipboard.writeText(text);
      return null;
    },
    'clipboard:clear-if': async ({ text }) => {
      if ((await s.clipboard.readText()) !== text) return false; // the person copied something else since
      await s.clipboard.writeText('');
      return true;
    },
    'relay:set': async ({ url }) => {
      let plan: RelaySwitchPlan;
      try {
        plan = planRelaySwitch(s.relay.get(), url);
      } catch (e) {
        if (e instanceof RelayUrlError) throw new IpcError(e.code, e.message);
        throw e;
      }
      if (plan.kind === 'unchanged') return null;
      if (plan.confirm && !(await s.relay.confirm(plan.relay))) {
        throw new IpcError('NOT_ALLOWED', `relay:set: switching to ${plan.relay.host} was not confirmed`);
      }
      // Contacted only after the person agreed; a relay that does not answer is not switched to.
      if (plan.relay.origin !== acceptRelayUrl(s.relay.get()).origin && !(await s.relay.probe(plan.relay.url))) {
        throw new IpcError('RELAY_UNREACHABLE', `relay:set: no relay answers at ${plan.relay.host}`);
      }
      await s.relay.set(plan.relay.url);
      return null;
    },
  };
}

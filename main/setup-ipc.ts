import { clipboard, dialog, ipcMain, powerMonitor, safeStorage } from 'electron';
import type { AppContext } from './app-context.js';
import { IPC_CHANNELS } from './ipc-contract.js';
import { createDispatcher, isTrustedSender } from './ipc-dispatch.js';
import { createIpcHandlers, type Dialogs } from './ipc-handlers.js';
import { createFileReads } from './file-reads.js';
import { createExportWrites } from './export-writes.js';
import { createKeychainStore, type OsCipher } from './keychain-store.js';
import { APP_ORIGIN } from './navigation-policy.js';
import { createRelayControl } from './relay-control.js';

function osCipher(): OsCipher {
  return {
    // Linux without a secret service falls back to a hard-coded key: that is no keychain.
    available: () =>
      safeStorage.isEncryptionAvailable() &&
      (process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text'),
    encrypt: (plain) => safeStorage.encryptString(plain),
    decrypt: (cipher) => safeStorage.decryptString(cipher),
  };
}

function dialogs(ctx: AppContext): Dialogs {
  return {
    async pickFiles(multiple) {
      const opts: Electron.OpenDialogOptions = { properties: multiple ? ['openFile', 'multiSelections'] : ['openFile'] };
      const r = ctx.window ? await dialog.showOpenDialog(ctx.window, opts) : await dialog.showOpenDialog(opts);
      return r.canceled ? [] : r.filePaths;
    },
    async pickSaveTarget(suggestedName) {
      const opts: Electron.SaveDialogOptions = { defaultPath: suggestedName, properties: ['showOverwriteConfirmation'] };
      const r = ctx.window ? await dialog.showSaveDialog(ctx.window, opts) : await dialog.showSaveDialog(opts);
      return r.canceled || !r.filePath ? null : r.filePath;
    },
  };
}

/** Wires every contract channel to the one dispatcher. Call after `ready`. */
export function setupIpc(ctx: AppContext): void {
  const files = createFileReads();
  const exports = createExportWrites();
  const handlers = createIpcHandlers({
    dialogs: dialogs(ctx),
    files,
    exports,
    keychain: createKeychainStore(ctx.paths.keychainFile, osCipher()),
    idleSeconds: () => powerMonitor.getSystemIdleTime(),
    relay: createRelayControl(ctx),
    clipboard: { readText: () => clipboard.readText(), writeText: (text) => clipboard.writeText(text) },
  });
  const dispatch = createDispatcher({
    handlers,
    isTrusted: (event) =>
      isTrustedSender(event, ctx.window ? { webContentsId: ctx.window.webContents.id, origin: APP_ORIGIN } : null),
    onError: (channel, code) => console.warn(`truhe ipc: ${channel} refused (${code})`),
  });
  for (const channel of IPC_CHANNELS) {
    ipcMain.handle(channel, (event, ...args: unknown[]) => dispatch(channel, event, args));
  }
  // A closed window leaves no open file or half-written export behind.
  ctx.onWindowClosed.push(() => void files.closeAll(), () => void exports.abortAll());
}

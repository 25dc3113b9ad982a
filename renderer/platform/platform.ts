/**
 * What the renderer may ask of the operating system. Two implementations: the Electron preload
 * bridge (`electron-platform.ts`, backed by main/ over validated IPC) and the web one
 * (`web-platform.ts`: file input, download link, no keychain). The renderer never sees a path.
 */
export interface PickedFile {
  /** An opaque handle main handed out; never a filesystem path. */
  name: string;
  type: string;
  size: number;
  stream(): ReadableStream<Uint8Array>;
  /** The DOM File itself (a dropped or web-picked file): sealing reads it in a Worker. */
  blob?: Blob;
}

export type LockReason = 'suspend' | 'lock-screen' | 'idle' | 'absolute' | 'user';

/** How a relay choice ended: switched, already in use, or not confirmed by the person. */
export type RelayChoice = 'switched' | 'unchanged' | 'declined';

export interface Platform {
  readonly kind: 'electron' | 'web';
  /** Lets the user pick files; resolves [] when cancelled. */
  openFiles(opts?: { multiple?: boolean }): Promise<PickedFile[]>;
  /** Saves decrypted bytes where the user chooses (save dialog / download). False when cancelled. */
  saveFile(suggestedName: string, data: ReadableStream<Uint8Array>): Promise<boolean>;
  /** OS keychain (Electron safeStorage). The web platform has none: `available` is false. */
  keychain: {
    available: boolean;
    remember(account: string, secretKey: string): Promise<void>;
    recall(account: string): Promise<string | null>;
    forget(account: string): Promise<void>;
  };
  /** OS lock events (suspend, lock-screen). Returns unsubscribe. */
  onLockEvent(listener: (reason: LockReason) => void): () => void;
  /** Seconds since the user last touched the machine (Electron) or this page (web). */
  idleSeconds(): Promise<number>;
  /** `truhe://join?…` links the OS handed to the app (second launch, protocol handler). */
  onJoinLink(listener: (link: string) => void): () => void;
  /**
   * The relay this window connects to, and changing it (protocol/relay-url.ts decides what is
   * accepted and when a confirmation naming the host is needed). `choose` throws VaultError
   * INSECURE_RELAY_URL or BAD_FORMAT for a refused URL. Electron: main asks in a native dialog,
   * persists the choice, moves CSP and request filter to the new origin and reloads the window.
   * Web: the browser's confirm dialog; the choice is kept in the settings (localStorage) and used
   * for new connections, within the CSP the server that serves the page sets.
   */
  relay: {
    current(): Promise<string>;
    choose(url: string): Promise<RelayChoice>;
  };
  /**
   * The system clipboard, plain text. Use renderer/app/clipboard.ts (copy, then clear after a
   * timeout) rather than these directly. `clearIf` empties it only while it still holds `text`
   * and says whether it did.
   */
  clipboard: {
    write(text: string): Promise<void>;
    clearIf(text: string): Promise<boolean>;
  };
}

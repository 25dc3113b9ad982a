/**
 * Secret Keys remembered per account, encrypted with the OS keychain (Electron safeStorage:
 * DPAPI, macOS Keychain, libsecret/kwallet). The file holds only ciphertext, base64. When the OS
 * offers no real keychain (Linux `basic_text` backend), `available` is false and nothing is stored.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { IpcError } from './ipc-dispatch.js';

export interface OsCipher {
  available(): boolean;
  encrypt(plain: string): Buffer;
  decrypt(cipher: Buffer): string;
}

export interface KeychainStore {
  available(): boolean;
  remember(account: string, secretKey: string): Promise<void>;
  recall(account: string): Promise<string | null>;
  forget(account: string): Promise<void>;
}

type Entries = Record<string, string>;

export function createKeychainStore(file: string, cipher: OsCipher): KeychainStore {
  const load = async (): Promise<Entries> => {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw e;
    }
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
    const out: Entries = Object.create(null) as Entries;
    for (const [k, v] of Object.entries(parsed)) if (typeof v === 'string') out[k] = v;
    return out;
  };
  const save = async (entries: Entries) => {
    const tmp = `${file}.tmp`;
    await writeFile(tmp, JSON.stringify(entries), { mode: 0o600 });
    await rename(tmp, file);
  };
  const requireCipher = () => {
    if (!cipher.available()) throw new IpcError('NOT_ALLOWED', 'no OS keychain on this machine');
  };
  const key = (account: string) => `a:${account}`;

  return {
    available: () => cipher.available(),
    async remember(account, secretKey) {
      requireCipher();
      const entries = await load();
      entries[key(account)] = cipher.encrypt(secretKey).toString('base64');
      await save(entries);
    },
    async recall(account) {
      requireCipher();
      const stored = (await load())[key(account)];
      return stored === undefined ? null : cipher.decrypt(Buffer.from(stored, 'base64'));
    },
    async forget(account) {
      const entries = await load();
      if (!(key(account) in entries)) return;
      delete entries[key(account)];
      await save(entries);
    },
  };
}

/** The VaultApi object of an unlocked Session (core/vault-api.ts is the contract). */
import { VaultError, isVaultError } from '../errors.js';
import { changePasswordWith, checkUnlockInputs, lockAccount, toRelayBundle, unlockAccount } from '../model/account.js';
import { KDF_FLOOR } from '../crypto/kdf.js';
import { kdfOf } from '../crypto/kdf-runner.js';
import { wipe } from '../crypto/wipe.js';
import { formatSecretKey } from '../model/secret-key.js';
import { Results } from '../../protocol/index.js';
import type { DeviceInfo, FileSource, Progress, VaultApi } from '../vault-api.js';
import { exportAll } from './export.js';
import { importFile, readFile, type ImportControl, type ImportListing } from './files.js';
import { patchListing, shareIndex, summaryKey, writeGen } from './item-index.js';
import { parseShareId } from '../ids.js';
import { replaceFile } from './file-versions.js';
import { accountRegistration, openDeviceName } from './identity.js';
import { acceptInvitation, declineInvitation, invitations } from './invitations.js';
import { createShare, deleteItem, fileSummary, history, listItems, listShares, readNote, restoreVersion, saveNote } from './items.js';
import { saveNoteEdit } from './note-edit.js';
import { exportUndelivered } from './undelivered.js';
import { favourites, setFavourite } from './favourites.js';
import { sharingApi } from '../share/api.js';
import type { Session } from './session.js';
import { confirmJoins, inviteColleague, people, removeFromTeam, revokeDevice, revokeTeamInvitation, setTeamRole, teamInfo, teamInvitations } from './team.js';

/** Wrap every method so it checks the lock and rejects only with VaultError. */
function guarded<T extends object>(s: Session, api: T): T {
  const out = {} as Record<string, unknown>;
  for (const [name, fn] of Object.entries(api)) {
    if (typeof fn !== 'function') continue;
    out[name] = (...args: unknown[]) => {
      if (name !== 'lock' && name !== 'onStatus' && name !== 'onChange' && s.locked) {
        const err = new VaultError('LOCKED', `${name}: the vault is locked`);
        if (name === 'readFile' || name === 'exportAll' || name === 'exportUndelivered') return new ReadableStream({ start: (c) => c.error(err) });
        return Promise.reject(err);
      }
      try {
        const r = (fn as (...a: unknown[]) => unknown)(...args);
        if (r instanceof Promise) {
          return r.catch((e: unknown) => {
            throw isVaultError(e) ? e : new VaultError('INTERNAL', `${name}: ${e instanceof Error ? e.message : 'failed'}`, { cause: e });
          });
        }
        return r;
      } catch (e) {
        return Promise.reject(isVaultError(e) ? e : new VaultError('INTERNAL', `${name}: failed`, { cause: e }));
      }
    };
  }
  return out as T;
}

function asObject(v: unknown): Record<string, unknown> {
  return JSON.parse(JSON.stringify(v)) as Record<string, unknown>;
}

const sessions = new WeakMap<object, Session>();

/**
 * The Session behind a VaultApi. For core/share/ (membership operations build on the session's
 * connection, keyring and log) and for integration tests; the renderer never needs it.
 */
export function sessionOf(api: VaultApi): Session {
  const s = sessions.get(api);
  if (!s) throw new VaultError('NOT_FOUND', 'sessionOf: not a vault made by createLauncher');
  return s;
}

export function vaultApi(s: Session): VaultApi {
  const api: VaultApi = {
    onStatus: (l) => s.status.subscribe(l),
    onChange: (l) => s.onChange(l),
    lock: () => s.lock(),
    async changePassword(oldPassword, newPassword) {
      const bundle = await s.store.getAccount();
      if (!bundle) throw new VaultError('NOT_FOUND', 'changePassword: no local account');
      const next = await changePasswordWith(kdfOf(s.deps), { keys: s.keys, bundle, oldPassword, newPassword, floor: s.deps.kdfFloor, cost: s.deps.kdfCost });
      const reg = accountRegistration(toRelayBundle(next));
      await s.conn.request({ type: 'account.update', authPk: reg.authPk, kdf: reg.kdf, keyBlob: reg.keyBlob });
      await s.store.putAccount(next);
    },
    async emergencyKit(password) {
      const bundle = await s.store.getAccount();
      if (!bundle) throw new VaultError('NOT_FOUND', 'emergencyKit: no local account');
      // Derives the unlock key from the password typed now (through the runner, off the UI
      // thread); the kit is shown only if it opens the keys.
      const floor = s.deps.kdfFloor ?? KDF_FLOOR;
      const secretKey = checkUnlockInputs(bundle, s.keys.secretKey, floor);
      try {
        const unlockKey = await kdfOf(s.deps)(password, secretKey, bundle.kdf, floor);
        lockAccount(unlockAccount({ bundle, password, secretKey, floor, unlockKey }));
      } finally {
        wipe(secretKey);
      }
      return { relayUrl: s.relayUrl, teamId: s.keys.team, accountId: s.keys.account, secretKey: formatSecretKey(s.keys.secretKey) };
    },
    listShares: () => listShares(s),
    createShare: (name) => createShare(s, name),
    invitations: () => invitations(s),
    acceptInvitation: (share) => acceptInvitation(s, share),
    declineInvitation: (share) => declineInvitation(s, share),
    listItems: (share) => listItems(s, share),
    readNote: (share, item, version) => readNote(s, share, item, version),
    saveNote: (share, note, item) => saveNote(s, share, note, item),
    saveNoteEdit: (share, note, item, base) => saveNoteEdit(s, share, note, item, base),
    importFile: (share, file, onProgress, opts) => importFileListed(s, share, file, { onProgress, ...opts }),
    readFile: (share, item, onProgress, version) => readFile(s, share, item, onProgress, version),
    replaceFile: (share, item, file, opts) => replaceFile(s, share, item, file, opts, fileListing(s, share)),
    deleteItem: (share, item) => deleteItem(s, share, item),
    history: (share, item) => history(s, share, item),
    restoreVersion: (share, item, version) => restoreVersion(s, share, item, version),
    favourites: (share) => favourites(s, share),
    setFavourite: (share, item, on) => setFavourite(s, share, item, on),
    ...sharingApi(s),
    async devices(): Promise<DeviceInfo[]> {
      const ans = Results['device.list'].safeParse(await s.conn.request({ type: 'device.list' }));
      if (!ans.success) throw new VaultError('BAD_FORMAT', 'devices: bad relay answer');
      return ans.data.devices.map((d) => ({
        id: d.id, name: openDeviceName(s.keys, d.id, d.nameEnc), platform: d.platform,
        lastSeen: d.lastSeenDay ? Date.parse(d.lastSeenDay) : null, active: d.active, current: String(d.id) === String(s.keys.device?.id),
      }));
    },
    team: () => teamInfo(s),
    people: () => people(s),
    inviteColleague: (opts) => inviteColleague(s, opts),
    teamInvitations: () => teamInvitations(s),
    revokeTeamInvitation: (id) => revokeTeamInvitation(s, id),
    confirmJoins: () => confirmJoins(s),
    setTeamRole: (account, role) => setTeamRole(s, account, role),
    removeFromTeam: (account, opts) => removeFromTeam(s, account, opts),
    revokeDevice: (device, opts) => revokeDevice(s, device, opts),
    finishWipe: () => s.finishWipe(),
    exportAll: (onProgress) => exportAll(s, onProgress),
    exportUndelivered: () => exportUndelivered(s),
    async deleteAccount() {
      await s.conn.request({ type: 'account.delete' });
      await s.wipeLocal();
      await s.lock();
    },
    async relayRecord() {
      return asObject(await s.conn.request({ type: 'account.info' }));
    },
  };
  const out = guarded(s, api);
  sessions.set(out, s);
  return out;
}

/**
 * Import a file (files.ts) and put it into the share's last listing, so the listing after the
 * import reads no records (with 10 000 items that read was one long task on the UI thread).
 */
function importFileListed(s: Session, shareIn: string, file: FileSource, opts: ImportControl): Promise<string> {
  return importFile(s, shareIn, file, opts, fileListing(s, shareIn));
}

/**
 * How a file record written by this session (an import, a replaced version) joins the share's
 * last listing. Called only after the writer has parsed `shareIn` itself.
 */
function fileListing(s: Session, shareIn: string): ImportListing {
  return {
    writeGen: () => writeGen(s, parseShareId(shareIn)),
    listed: (gen, env, meta) => {
      const share = parseShareId(shareIn);
      const sum = fileSummary(s, share, env, meta);
      shareIndex(s, share).byKey.set(summaryKey(env), sum);
      patchListing(s, share, gen, env.item, [summaryKey(env), sum]);
    },
  };
}

/**
 * Entry points before a vault is open: create a team, unlock, sign in a new device (R10),
 * join with a code (left to core/share/). Each returns a running VaultApi.
 */
import { fromB64url, toB64url } from '../encoding.js';
import { VaultError, isVaultError } from '../errors.js';
import { newId, parseAccountId, parseTeamId, type AccountId, type DeviceId, type TeamId } from '../ids.js';
import { ready } from '../crypto/sodium.js';
import { checkKdfCeiling, checkKdfParams, KDF_FLOOR, type KdfParams } from '../crypto/kdf.js';
import { defaultKdf } from '../crypto/kdf-runner.js';
import { wipe } from '../crypto/wipe.js';
import type { SecretKeyBytes, UnlockKey } from '../crypto/key-types.js';
import { addDeviceKey, authKeyPair, checkUnlockInputs, createAccountWith, toRelayBundle, unlockAccount, type AccountKeys } from '../model/account.js';
import type { LocalAccountBundle, RelayAccountBundle } from '../model/account-bundle.js';
import { parseSecretKey } from '../model/secret-key.js';
import { Results } from '../../protocol/index.js';
import { systemClock } from '../sync/clock.js';
import { Connection } from '../sync/connection.js';
import { checkRelayUrl } from '../sync/relay-url.js';
import { restorePendingTransfers } from '../sync/transfers.js';
import type { EmergencyKit, VaultApi, VaultLauncher } from '../vault-api.js';
import { vaultApi } from './api.js';
import type { LauncherDeps } from './deps.js';
import { accountRegistration, authSig, deviceRegistration, unpackKeyBlob } from './identity.js';
import { joinWithCode } from '../share/guest.js';
import { Session } from './session.js';
import { nextRosterEntry, parseRosterEntry, verifyRoster } from '../model/roster.js';
import { newTeamKey, sealTeamText, teamKeyCommit, wrapTeamKey } from '../model/team-keys.js';
import { pinsFromCheckpoints } from './checkpoints.js';
import { joinTeam, previewInvitation } from './team-join.js';
import { checkRelay } from './relay-check.js';
import type { ShareId } from '../ids.js';

const ONLINE_TIMEOUT_MS = 15_000;

async function onlineWithin(s: Session | Connection, fn: string): Promise<void> {
  const conn = s instanceof Session ? s.conn : s;
  const clock = s instanceof Session ? s.clock : systemClock;
  let timer: unknown;
  const timeout = new Promise<never>((_, reject) => {
    timer = clock.setTimeout(() => reject(new VaultError('RELAY_UNREACHABLE', `${fn}: the relay did not answer`)), ONLINE_TIMEOUT_MS);
  });
  try {
    await Promise.race([conn.whenOnline(), timeout]);
  } finally {
    clock.clearTimeout(timer);
  }
}

async function open(deps: LauncherDeps, store: ReturnType<LauncherDeps['storeFactory']>, keys: AccountKeys, relayUrl: string, firstAuth?: Session['firstAuth'], prefetched?: Prefetched): Promise<{ api: VaultApi; session: Session }> {
  const session = new Session(deps, store, keys, relayUrl);
  session.firstAuth = firstAuth ?? null;
  session.prefetchedIndexes = prefetched?.indexes ?? null;
  session.prefetchedRecords = prefetched?.records ?? null;
  await restorePendingTransfers(store, session.status);
  await session.start();
  return { api: vaultApi(session), session };
}

interface Prefetched {
  indexes: NonNullable<Session['prefetchedIndexes']>;
  records: NonNullable<Session['prefetchedRecords']>;
}

/**
 * Every share's sealed summary index and its records (still sealed: nothing is decrypted before
 * the keys are), read from the store now, while Argon2id runs in its Worker: reading 10 000
 * records costs the UI thread some 0.4 s. loadIndex takes each index once; the session's first
 * reads of a share's records use these while nothing was written (item-index.ts). A failed
 * read is read again there.
 */
function prefetchShares(store: ReturnType<LauncherDeps['storeFactory']>): Prefetched {
  const out: Prefetched = { indexes: new Map(), records: new Map() };
  void store.listSyncStates().then((all) => {
    for (const { share } of all) {
      const index = store.getSealedIndex(share).catch(() => store.getSealedIndex(share));
      index.catch(() => undefined); // a share never listed in this session leaves its read unobserved
      out.indexes.set(String(share), index);
      const records = store.listRecords(share);
      records.catch(() => undefined); // read again where it is needed
      out.records.set(String(share), records);
    }
  }, () => undefined);
  return out;
}

export function createLauncher(given: LauncherDeps): VaultLauncher {
  const kdf = given.kdf ?? defaultKdf();
  // One runner for every Argon2id of this launcher and its sessions (password change, codes).
  const deps: LauncherDeps = { ...given, kdf };
  const floor = deps.kdfFloor ?? KDF_FLOOR;
  const platform = deps.platform ?? 'other';
  kdf.warm?.(); // the app starts at unlock or sign-in: have the Argon2id Worker ready by then

  return {
    prepareForPassword() {
      if (!kdf.prime) return;
      const store = deps.storeFactory();
      void store.getAccount()
        .then((bundle) => kdf.prime?.(bundle?.kdf.memlimit ?? (deps.kdfCost ?? floor).memlimit), () => undefined)
        .finally(() => store.close().catch(() => undefined));
    },
    async hasLocalAccount() {
      const store = deps.storeFactory();
      try {
        return (await store.getAccount()) !== undefined;
      } finally {
        await store.close();
      }
    },

    async createTeam({ relayUrl, password, deviceName, displayName, teamName, enrollmentToken }) {
      await ready();
      const url = checkRelayUrl(relayUrl);
      const myName = checkText('createTeam', 'your name', displayName);
      const tName = checkText('createTeam', "the team's name", teamName);
      const team = newId<TeamId>();
      const account = newId<AccountId>();
      const created = await createAccountWith(kdf, { team, account, password, floor, cost: deps.kdfCost ?? floor });
      const bundle: LocalAccountBundle = { ...addDeviceKey(created.keys, created.bundle, newId<DeviceId>()), rememberedSecretKey: toB64url(created.keys.secretKey), relayUrl: url };
      const store = deps.storeFactory();
      await store.putAccount(bundle);
      const keys = created.keys;
      const reg = accountRegistration(toRelayBundle(bundle));
      const device = deviceRegistration(keys, deviceName, platform);
      // The roster's genesis pins this account's keys; team key epoch 0 seals the names.
      const teamKey = newTeamKey();
      const now = (deps.clock ?? systemClock).now();
      const genesis = nextRosterEntry(team, null, account, {
        t: 'genesis', owner: account as never, boxPk: reg.boxPk, signPk: reg.signPk, epoch: 0, keyCommit: teamKeyCommit(teamKey, team, 0),
        nameEnc: sealTeamText(teamKey, 'name', team, account, 0, myName), teamNameEnc: sealTeamText(teamKey, 'team-name', team, team, 0, tName),
      }, now, keys.sign.secretKey);
      const first = verifyRoster(team, [genesis], null).state;
      const devAdd = parseRosterEntry(nextRosterEntry(team, first, account, { t: 'device.add', account: account as never, device: device.id as never, signPk: device.signPk, cert: device.cert as never }, now, keys.sign.secretKey));
      const wraps = [{ epoch: 0, account, wrapped: wrapTeamKey(teamKey, keys.box.publicKey) }];
      const { api, session } = await open(deps, store, keys, url, (nonce) => ({
        type: 'team.create', team, account: reg, device, roster: [genesis, devAdd], wraps, ...(enrollmentToken ? { enrollment: enrollmentToken.trim() } : {}),
        sig: authSig(keys.device!.sign.secretKey, nonce, team, 'team.create', device.id),
      }));
      try {
        await onlineWithin(session, 'createTeam');
      } catch (e) {
        await session.lock();
        await store.wipe().catch(() => undefined);
        throw e;
      }
      return { vault: api, kit: { relayUrl: url, teamId: team, accountId: account, secretKey: created.secretKey } satisfies EmergencyKit };
    },

    async unlock(password) {
      await ready();
      const store = deps.storeFactory();
      const bundle = await store.getAccount();
      if (!bundle) {
        await store.close();
        throw new VaultError('NOT_FOUND', 'unlock: no account on this device');
      }
      if (!bundle.rememberedSecretKey || !bundle.relayUrl) {
        await store.close();
        throw new VaultError('WRONG_SECRET_KEY', 'unlock: this device does not remember the Secret Key; sign in with the emergency kit');
      }
      let keys: AccountKeys;
      let prefetched: Prefetched | undefined;
      try {
        // The checks first, then Argon2id once, off the UI thread where there are Workers.
        const secretKey = checkUnlockInputs(bundle, fromB64url(bundle.rememberedSecretKey) as SecretKeyBytes, floor);
        prefetched = prefetchShares(store); // the UI thread is free while Argon2id runs in its Worker
        try {
          const unlockKey = await kdf(password, secretKey, bundle.kdf, floor);
          keys = unlockAccount({ bundle, password, secretKey, floor, unlockKey });
        } finally {
          wipe(secretKey);
        }
      } catch (e) {
        await store.close();
        throw e;
      }
      return (await open(deps, store, keys, checkRelayUrl(bundle.relayUrl), undefined, prefetched)).api;
    },

    async signInNewDevice({ kit, password, deviceName }) {
      await ready();
      const url = checkRelayUrl(kit.relayUrl);
      const team = parseTeamId(kit.teamId);
      const account = parseAccountId(kit.accountId);
      const secretKey = parseSecretKey(kit.secretKey);
      let relayBundle: RelayAccountBundle | null = null;
      // Argon2id runs once per sign-in: the unlock key derived for the account auth also opens
      // the account blob (if account.get names the same parameters).
      let derived: { params: KdfParams; key: UnlockKey } | null = null;
      const unlockKeyFor = async (params: KdfParams): Promise<UnlockKey> => {
        if (derived && sameKdf(derived.params, params)) return derived.key;
        if (derived) wipe(derived.key);
        derived = null;
        const key = await kdf(password, secretKey, params, floor);
        derived = { params, key };
        return key;
      };
      // 1. account auth: account.kdf → derive → sign the challenge with the auth key
      const boot = new Connection({
        url, webSocketFactory: deps.webSocketFactory, clock: deps.clock ?? systemClock, requestTimeoutMs: deps.requestTimeoutMs,
        backoff: { random: deps.random, ...deps.backoff },
        authenticate: async (nonce, pre) => {
          const kdf = Results['account.kdf'].safeParse(await pre.request({ type: 'account.kdf', team, account }));
          if (!kdf.success) throw new VaultError('BAD_FORMAT', 'signInNewDevice: bad account.kdf answer');
          const params = checkKdfCeiling(checkKdfParams(kdf.data.kdf, floor), deps.kdfCost ?? floor);
          const auth = authKeyPair(await unlockKeyFor(params));
          const sig = authSig(auth.secretKey, nonce, team, 'account', account);
          relayBundle = { v: 1, team, account, kdf: params, blob: '' as never, skCheck: '', boxPk: '', signPk: '', authPk: toB64url(auth.publicKey) };
          wipe(auth.secretKey);
          return { type: 'auth', method: 'account', team, account, sig };
        },
      });
      boot.start();
      try {
        await onlineWithin(boot, 'signInNewDevice');
        // 2. account.get → unlock
        const got = Results['account.get'].safeParse(await boot.request({ type: 'account.get' }));
        if (!got.success || !relayBundle) throw new VaultError('BAD_FORMAT', 'signInNewDevice: bad account.get answer');
        const a = got.data.account;
        const { blob, skCheck } = unpackKeyBlob(a.keyBlob);
        const rb: RelayAccountBundle = { ...(relayBundle as RelayAccountBundle), kdf: checkKdfCeiling(a.kdf, deps.kdfCost ?? floor), blob, skCheck, boxPk: a.boxPk, signPk: a.signPk };
        const unlockKey = (await unlockKeyFor(rb.kdf)).slice() as UnlockKey; // the account keeps its own copy
        const keys = unlockAccount({ bundle: rb, password, secretKey, floor, unlockKey });
        // 3. the roster, verified against this account's own signed checkpoints and keys
        const pins = pinsFromCheckpoints(team, account, keys.sign.publicKey, got.data.checkpoints);
        const rg = Results['roster.get'].safeParse(await boot.request({ type: 'roster.get', since: 0 }));
        if (!rg.success) throw new VaultError('BAD_FORMAT', 'signInNewDevice: bad roster.get answer');
        const roster = verifyRoster(team, rg.data.entries.map((e) => parseRosterEntry(e)), null, pins.roster).state;
        const me = roster.members.get(account);
        if (!me || !me.active) throw new VaultError('MEMBER_REMOVED', 'signInNewDevice: this account is not an active member of the team');
        if (me.signPk !== toB64url(keys.sign.publicKey) || me.boxPk !== toB64url(keys.box.publicKey)) throw new VaultError('KEY_CHANGED', 'signInNewDevice: the roster pins other keys for this account');
        // 4. device.register with its signed roster entry, then store the local bundle
        const local: LocalAccountBundle = {
          ...addDeviceKey(keys, rb, newId<DeviceId>()), rememberedSecretKey: toB64url(secretKey), relayUrl: url, rosterPin: { length: roster.length, hash: roster.lastHash },
        };
        const dev = deviceRegistration(keys, deviceName, platform);
        const entry = parseRosterEntry(nextRosterEntry(team, roster, account, { t: 'device.add', account: account as never, device: dev.id as never, signPk: dev.signPk, cert: dev.cert as never }, (deps.clock ?? systemClock).now(), keys.sign.secretKey));
        await boot.request({ type: 'device.register', device: dev, entry });
        boot.stop();
        const store = deps.storeFactory();
        await store.putAccount(local);
        for (const [share, pin] of pins.shares) await store.putSyncState({ share: share as ShareId, lastSeq: 0, minLog: pin });
        // 4. reconnect as the device: the welcome lists every share, the engine pulls them all
        const { api, session } = await open(deps, store, keys, url);
        await onlineWithin(session, 'signInNewDevice').catch((e: unknown) => {
          if (!isVaultError(e, 'RELAY_UNREACHABLE')) throw e;
        });
        return api;
      } catch (e) {
        boot.stop();
        // The relay refuses unknown team, unknown account and wrong key alike (no id oracle): say so.
        if (isVaultError(e, 'NOT_ALLOWED')) throw new VaultError('SIGN_IN_NOT_RECOGNISED', 'signInNewDevice: the relay refused the sign-in (team id, account id, password or Secret Key not recognised)', { cause: e });
        throw e;
      } finally {
        wipe(secretKey);
        if (derived) wipe((derived as { key: UnlockKey }).key);
      }
    },

    joinWithCode: (opts) => joinWithCode(deps, opts),
    previewInvitation: (link) => previewInvitation(deps, link),
    checkRelay: (url) => checkRelay(deps.webSocketFactory, url),
    joinTeam: (opts) => joinTeam(deps, opts),
  };
}

function sameKdf(a: KdfParams, b: KdfParams): boolean {
  return a.alg === b.alg && a.opslimit === b.opslimit && a.memlimit === b.memlimit && a.salt === b.salt;
}

function checkText(fn: string, what: string, v: string): string {
  const t = typeof v === 'string' ? v.trim() : '';
  if (!t || t.length > 100) throw new VaultError('BAD_FORMAT', `${fn}: ${what} must be 1 to 100 characters`);
  return t;
}


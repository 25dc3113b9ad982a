/**
 * Issue 19: every Argon2id the vault runs goes through the launcher's KdfRunner (in the app a
 * Worker, core/crypto/kdf-runner.ts; here the inline one, recorded): creating a team, joining
 * one, changing the password, showing the emergency kit, owners creating and rotating access
 * codes, guests opening a share with a code. Each test also counts libsodium's crypto_pwhash
 * calls: they equal the recorded derivations, so nothing ran Argon2id on the calling thread.
 * Real relay, real core. Results are unchanged: new password opens, old one is WRONG_PASSWORD,
 * the guest reads the share, a mistyped code is CODE_TYPO without any derivation.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { relayAvailable, startRelay, type RelayProcess } from './helpers/relay.js';
import { simDevice, synced, waitFor } from './helpers/devices.js';
import { countArgon2id, recordingKdf, type Derivation, type RecordingKdf } from './helpers/recording-kdf.js';
import { joinAsColleague } from './helpers/second-account.js';
import { codeOf, lockAll, shareDevice, type ShareDevice } from '../share/helpers.js';
import { TEST_KDF_COST, TEST_KDF_FLOOR } from '../../../core/crypto/kdf.js';
import { CODE_ALPHABET, formatAccessCode, parseAccessCode } from '../../../core/model/access-code.js';
import { sessionOf } from '../../../core/vault/api.js';
import type { TeamId } from '../../../core/ids.js';
import type { VaultApi } from '../../../core/vault-api.js';

const PW = 'erstes Passwort';
const PW2 = 'zweites Passwort';

const unlocks = (d: Derivation[]) => d.filter((x) => x.kind === 'unlock') as Extract<Derivation, { kind: 'unlock' }>[];
const codes = (d: Derivation[]) => d.filter((x) => x.kind === 'code') as Extract<Derivation, { kind: 'code' }>[];
const testParams = { alg: 'argon2id13', opslimit: TEST_KDF_COST.opslimit, memlimit: TEST_KDF_COST.memlimit };

describe.skipIf(!relayAvailable)('Argon2id only through the runner', () => {
  let relay: RelayProcess;
  let rec: RecordingKdf;
  let ownerDev: ShareDevice;
  let owner: VaultApi | undefined;
  let share: string;
  let team: string;
  let pwhash: Awaited<ReturnType<typeof countArgon2id>>;
  /** Every derivation recorded by any runner of this file during one test. */
  const all: Derivation[][] = [];
  const recorded = () => all.reduce((n, d) => n + d.length, 0);
  const fresh = (): RecordingKdf => { const r = recordingKdf(); all.push(r.derivations); return r; };

  beforeAll(async () => {
    relay = await startRelay();
  }, 60_000);
  afterAll(async () => {
    await lockAll(owner);
    await relay?.stop();
  });
  beforeEach(async () => {
    all.length = 0;
    if (rec) { // the owner's runner lives across tests: count from each test's start
      rec.derivations.length = 0;
        all.push(rec.derivations);
    }
    pwhash = await countArgon2id();
  });
  afterEach(() => {
    pwhash.restore();
  });

  it('createTeam derives the unlock key once, through the runner, with the configured cost', async () => {
    rec = fresh();
    ownerDev = shareDevice('ke-owner', { kdf: rec.runner });
    owner = (await ownerDev.launcher.createTeam({ displayName: 'Owner', teamName: 'Firm', relayUrl: relay.url, password: PW, deviceName: 'o' })).vault;
    expect(rec.derivations).toEqual([{ kind: 'unlock', params: { ...testParams, salt: expect.any(String) }, floor: TEST_KDF_FLOOR }]);
    expect(pwhash.calls).toBe(1);
    share = (await owner.createShare('Kanzlei')).id;
    await owner.saveNote(share, { title: 'Akte', body: 'x', tags: [] });
    await synced(owner);
    team = sessionOf(owner).team;
  });

  it('changePassword: a wrong current password is WRONG_PASSWORD after one derivation; the right one derives old then new', async () => {
    const before = (await ownerDev.openStore().getAccount())!.kdf;
    expect(await codeOf(owner!.changePassword('nicht das Passwort', PW2))).toBe('WRONG_PASSWORD');
    expect(unlocks(rec.derivations).map((d) => d.params)).toEqual([before]);
    await owner!.changePassword(PW, PW2);
    const after = (await ownerDev.openStore().getAccount())!.kdf;
    expect(after.salt).not.toBe(before.salt);
    expect(unlocks(rec.derivations).map((d) => [d.params, d.floor])).toEqual([[before, TEST_KDF_FLOOR], [before, TEST_KDF_FLOOR], [after, TEST_KDF_FLOOR]]);
    expect(pwhash.calls).toBe(3);
  });

  it('after the change the new password unlocks and the old one is WRONG_PASSWORD (one derivation each)', async () => {
    await owner!.lock();
    owner = undefined;
    expect(await codeOf(ownerDev.launcher.unlock(PW))).toBe('WRONG_PASSWORD');
    owner = await ownerDev.launcher.unlock(PW2);
    expect(rec.derivations).toHaveLength(2);
    expect(pwhash.calls).toBe(2);
    expect((await owner.listItems(share)).map((i) => i.title)).toEqual(['Akte']);
    await synced(owner); // online again for the membership changes below
  });

  it('the emergency kit derives through the runner; a wrong password is WRONG_PASSWORD', async () => {
    expect(await codeOf(owner!.emergencyKit(PW))).toBe('WRONG_PASSWORD');
    const kit = await owner!.emergencyKit(PW2);
    expect(kit.teamId).toBe(team);
    const stored = (await ownerDev.openStore().getAccount())!.kdf;
    expect(unlocks(rec.derivations).map((d) => d.params)).toEqual([stored, stored]);
    expect(pwhash.calls).toBe(2);
  });

  it('joining a team with an invitation derives the new account once, through the runner', async () => {
    const colRec = fresh();
    const col = await joinAsColleague(owner!, simDevice('ke-col', { kdf: colRec.runner }), 'Kollegin');
    expect(colRec.derivations).toEqual([{ kind: 'unlock', params: { ...testParams, salt: expect.any(String) }, floor: TEST_KDF_FLOOR }]);
    expect(pwhash.calls).toBe(recorded());
    expect(recorded()).toBe(1);
    await col.vault.lock();
  });

  it('owners create and rotate codes through the runner; the guest opens the share through its runner, with the same salt', async () => {
    const c = await owner!.createAccessCode(share, { label: 'Mandant', readOnly: true, expiresAt: null });
    expect(codes(rec.derivations)).toEqual([{ kind: 'code', salt: expect.any(Uint8Array), cost: TEST_KDF_COST, secretLength: 13 }]);
    const guestRec = fresh();
    const guest = await shareDevice('ke-guest', { kdf: guestRec.runner }).launcher.joinWithCode({ link: c.link });
    const items = await waitFor(guest, async () => { const l = await guest.listItems(share); return l.length ? l : undefined; }, 'guest items');
    expect(items.map((i) => i.title)).toEqual(['Akte']);
    expect(guestRec.derivations).toEqual([{ kind: 'code', salt: codes(rec.derivations)[0]!.salt, cost: TEST_KDF_COST, secretLength: 13 }]);
    await guest.lock();
    const r = await owner!.rotateAccessCode(share, c.info.id);
    expect(codes(rec.derivations)).toHaveLength(2);
    expect(codes(rec.derivations)[1]!.salt).not.toEqual(codes(rec.derivations)[0]!.salt);
    expect(r.info.label).toBe('Mandant');
    expect(recorded()).toBe(3);
    expect(pwhash.calls).toBe(3);
  });

  it('a mistyped code is CODE_TYPO before any derivation; a wrong secret is refused by the relay after one', async () => {
    const c = await owner!.createAccessCode(share, { label: 'falsch', readOnly: true, expiresAt: null });
    const i = 7;
    const typo = c.code.slice(0, i) + CODE_ALPHABET[(CODE_ALPHABET.indexOf(c.code[i]!) + 1) % 32] + c.code.slice(i + 1);
    const typoRec = fresh();
    expect(await codeOf(shareDevice('ke-typo', { kdf: typoRec.runner }).launcher.joinWithCode({ relayUrl: relay.url, team, code: typo }))).toBe('CODE_TYPO');
    expect(typoRec.derivations).toHaveLength(0);
    const parsed = parseAccessCode(c.code, team as TeamId);
    const wrong = formatAccessCode({ ...parsed, secret: parsed.secret.map((b) => b ^ 0xff) });
    const wrongRec = fresh();
    expect(await codeOf(shareDevice('ke-wrong', { kdf: wrongRec.runner }).launcher.joinWithCode({ relayUrl: relay.url, team, code: wrong }))).toBe('NOT_ALLOWED');
    expect(codes(wrongRec.derivations)).toHaveLength(1);
    expect(pwhash.calls).toBe(recorded());
  });
});

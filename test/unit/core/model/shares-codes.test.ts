import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../../../../core/crypto/sodium.js';
import { newBoxKeyPair, newSignKeyPair } from '../../../../core/crypto/keys.js';
import { signDetached, verifyDetached } from '../../../../core/crypto/sign.js';
import { TEST_KDF_COST } from '../../../../core/crypto/kdf.js';
import { newId, type AccountId, type CodeId, type ShareId, type TeamId } from '../../../../core/ids.js';
import { checkKeyCommit, keyCommit, newShareKey, unwrapShareKeyForCode, unwrapShareKeyForMember, wrapShareKeyForCode, wrapShareKeyForMember } from '../../../../core/model/share-keys.js';
import { deriveCodeKeys, formatAccessCode, formatJoinLink, newAccessCode, parseAccessCode, parseJoinLink } from '../../../../core/model/access-code.js';
import { safetyNumber } from '../../../../core/model/fingerprint.js';
import { expectCode } from '../helpers.js';

describe('share keys', () => {
  beforeAll(ready);
  const team = newId<TeamId>(); const share = newId<ShareId>();

  it('member wrap round-trips; other member → WRONG_KEY; re-wrapped different key fails commitment', async () => {
    const k = newShareKey();
    const commit = keyCommit(k, team, share, 3);
    const alice = newBoxKeyPair(); const bob = newBoxKeyPair();
    const w = wrapShareKeyForMember(k, alice.publicKey);
    expect(w.length).toBe(80);
    expect(unwrapShareKeyForMember(w, alice, { team, share, epoch: 3, commit })).toEqual(k);
    await expectCode(() => unwrapShareKeyForMember(w, bob), 'WRONG_KEY');
    const evil = wrapShareKeyForMember(newShareKey(), alice.publicKey); // relay swaps in its own key
    await expectCode(() => unwrapShareKeyForMember(evil, alice, { team, share, epoch: 3, commit }), 'WRONG_KEY');
    await expectCode(() => checkKeyCommit(k, team, share, 4, commit), 'WRONG_KEY');
  });

  it('code wrap is bound to (team, share, epoch, code)', async () => {
    const k = newShareKey();
    const code = newAccessCode(team);
    const ck = deriveCodeKeys(team, code, TEST_KDF_COST);
    const w = wrapShareKeyForCode(k, ck.wrapKey, team, share, 2, code.id);
    expect(unwrapShareKeyForCode(w, ck.wrapKey, team, share, 2, code.id, keyCommit(k, team, share, 2))).toEqual(k);
    await expectCode(() => unwrapShareKeyForCode(w, ck.wrapKey, team, share, 3, code.id), 'WRONG_KEY');
    await expectCode(() => unwrapShareKeyForCode(w, ck.wrapKey, team, newId<ShareId>(), 2, code.id), 'WRONG_KEY');
    const rotated = deriveCodeKeys(team, newAccessCode(team), TEST_KDF_COST);
    await expectCode(() => unwrapShareKeyForCode(w, rotated.wrapKey, team, share, 2, code.id), 'WRONG_KEY');
  });
});

describe('access codes', () => {
  beforeAll(ready);
  const team = newId<TeamId>();

  it('typed form round-trips, tolerant of case/spaces; typos → CODE_TYPO, junk → CODE_INVALID', async () => {
    const c = newAccessCode(team);
    const typed = formatAccessCode(c);
    expect(typed).toMatch(/^([0-9A-Z]{4}-){6}[0-9A-Z]{4}$/);
    expect(parseAccessCode(typed, team)).toEqual(c);
    expect(parseAccessCode(typed.toLowerCase().replace(/-/g, ' '), team)).toEqual(c);
    const i = 10; const typo = typed.slice(0, i) + (typed[i] === 'Z' ? 'Y' : 'Z') + typed.slice(i + 1);
    await expectCode(() => parseAccessCode(typo, team), 'CODE_TYPO');
    await expectCode(() => parseAccessCode('TRH-1234', team), 'CODE_INVALID');
    await expectCode(() => parseAccessCode('TRH-####', team), 'CODE_INVALID');
  });

  it('link round-trips; malformed links → CODE_INVALID', async () => {
    const c = newAccessCode(team);
    const link = formatJoinLink({ relay: 'wss://relay.example.de/v1', team, code: c });
    expect(link).toMatch(/^truhe:\/\/join\?relay=/);
    const p = parseJoinLink(link);
    expect(p).toEqual({ relay: 'wss://relay.example.de/v1', team, code: { id: c.id, secret: c.secret } });
    for (const bad of ['nope', 'https://join?x=1', link.replace(/team=[^&]+/, 'team=abc'), link.replace(/code=[^&]+/, 'code=xyz'), link.replace(/relay=[^&]+&/, '')]) {
      await expectCode(() => parseJoinLink(bad), 'CODE_INVALID');
    }
  });

  it('derives a deterministic verifier and wrap key, different per team and secret', () => {
    const c = newAccessCode(team);
    const a = deriveCodeKeys(team, c, TEST_KDF_COST);
    const b = deriveCodeKeys(team, { id: c.id, secret: c.secret.slice() }, TEST_KDF_COST);
    expect(a.verifier.publicKey).toEqual(b.verifier.publicKey);
    expect(a.wrapKey).toEqual(b.wrapKey);
    expect(deriveCodeKeys(newId<TeamId>(), c, TEST_KDF_COST).wrapKey).not.toEqual(a.wrapKey);
    const sig = signDetached(a.verifier.secretKey, 'truhe/auth/v1', Uint8Array.of(1));
    verifyDetached(b.verifier.publicKey, 'truhe/auth/v1', Uint8Array.of(1), sig);
    expect(newAccessCode(team).id).not.toBe(c.id as CodeId);
  });
});

describe('safety numbers', () => {
  beforeAll(ready);
  it('60 digits in 12 groups, stable, sensitive to every input', () => {
    const acc = newId<AccountId>(); const box = newBoxKeyPair().publicKey; const sign = newSignKeyPair().publicKey;
    const s = safetyNumber(acc, box, sign);
    expect(s).toMatch(/^\d{5}( \d{5}){11}$/);
    expect(safetyNumber(acc, box, sign)).toBe(s);
    expect(safetyNumber(newId<AccountId>(), box, sign)).not.toBe(s);
    expect(safetyNumber(acc, newBoxKeyPair().publicKey, sign)).not.toBe(s);
    expect(safetyNumber(acc, box, newSignKeyPair().publicKey)).not.toBe(s);
  });
});

/**
 * Brute force against one code id (R13): guesses with the right id and wrong secrets fail
 * auth, and after the relay's free failures it answers RATE_LIMITED (own relay process, so the
 * per-address block does not touch other tests).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relayAvailable, startRelay, type RelayProcess } from '../sync/helpers/relay.js';
import { formatJoinLink, newAccessCode, parseJoinLink } from '../../../core/model/access-code.js';
import type { VaultApi } from '../../../core/vault-api.js';
import { codeOf, lockAll, shareDevice } from './helpers.js';

let relay: RelayProcess;
let owner: VaultApi;
let link: string;

beforeAll(async () => {
  if (!relayAvailable) return;
  relay = await startRelay();
  owner = (await shareDevice('bf-owner').launcher.createTeam({ displayName: 'Owner', teamName: 'Firm', relayUrl: relay.url, password: 'pw', deviceName: 'o' })).vault;
  const share = (await owner.createShare('Ziel')).id;
  link = (await owner.createAccessCode(share, { label: 'g', readOnly: true, expiresAt: null })).link;
});
afterAll(async () => {
  await lockAll(owner);
  await relay?.stop();
});

describe.skipIf(!relayAvailable)('code brute force', () => {
  it('wrong secrets for a real code id: auth failures, then RATE_LIMITED', async () => {
    const real = parseJoinLink(link);
    const codes: string[] = [];
    for (let i = 0; i < 12; i++) {
      const guess = formatJoinLink({ relay: real.relay, team: real.team, code: { id: real.code.id, secret: newAccessCode(real.team).secret } });
      const c = await codeOf(shareDevice(`bf-${i}`).launcher.joinWithCode({ link: guess }));
      codes.push(c);
      if (c === 'RATE_LIMITED') break;
    }
    expect(codes.slice(0, 5)).toEqual(Array(5).fill('NOT_ALLOWED'));
    expect(codes.at(-1)).toBe('RATE_LIMITED');
    // while blocked, even the right code is refused from this address
    expect(await codeOf(shareDevice('bf-right').launcher.joinWithCode({ link }))).toBe('RATE_LIMITED');
  });
});

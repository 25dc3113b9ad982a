/**
 * Last use per access code (issue 17 D), against a real relay process: the owner sees the UTC
 * day a guest's code last opened a session and how many sessions are open with it; the relay
 * refuses the question to an editor and to a guest; a rotated code is gone from the answer. A
 * mistyped code is refused locally (CODE_TYPO) and no failed attempt reaches the relay; a code
 * of the old `TRH-` form still joins.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relayAvailable, startRelay, type RelayProcess } from '../sync/helpers/relay.js';
import { addSecondAccount } from '../sync/helpers/second-account.js';
import { simDevice } from '../sync/helpers/devices.js';
import { sessionOf } from '../../../core/vault/api.js';
import { CODE_ALPHABET, formatAccessCode, newAccessCodeV1, parseAccessCode } from '../../../core/model/access-code.js';
import { createAccessCode } from '../../../core/share/codes.js';
import type { TeamId } from '../../../core/ids.js';
import type { AccessCodeUsage, VaultApi } from '../../../core/vault-api.js';
import { codeOf, lockAll, shareDevice, synced } from './helpers.js';

let relay: RelayProcess;
let owner: VaultApi;
let editor: VaultApi;
let share: string;
let team: string;

const dayStart = (ms: number) => Date.parse(`${new Date(ms).toISOString().slice(0, 10)}T00:00:00Z`);
const usageOf = async (id: string): Promise<AccessCodeUsage | undefined> => (await owner.accessCodeUsage(share)).find((u) => u.id === id);
/** Rows of the relay's auth-failure table (the rate limiter's counters). */
function authFailures(): number {
  const db = new Database(join(relay.dataDir, 'global.sqlite'), { readonly: true });
  try {
    return (db.prepare('SELECT coalesce(sum(count), 0) AS n FROM auth_failures').get() as { n: number }).n;
  } finally {
    db.close();
  }
}
/** Re-asks until `pred` holds (the relay drops a closed socket from its registry on the close event). */
async function until<T>(ask: () => Promise<T>, pred: (v: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const v = await ask();
    if (pred(v)) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  if (!relayAvailable) return;
  relay = await startRelay();
  owner = (await shareDevice('usage-owner').launcher.createTeam({ displayName: 'Owner', teamName: 'Firm', relayUrl: relay.url, password: 'pw o', deviceName: 'o' })).vault;
  share = (await owner.createShare('Mandant')).id;
  await owner.saveNote(share, { title: 'Akte', body: 'x', tags: [] });
  await synced(owner);
  team = sessionOf(owner).team;
  const ed = simDevice('usage-editor');
  await addSecondAccount(owner, share, ed, 'pw e', 'editor');
  editor = await ed.launcher.unlock('pw e');
});
afterAll(async () => {
  await lockAll(owner, editor);
  await relay?.stop();
});

describe.skipIf(!relayAvailable)('access code last use (issue 17 D)', () => {
  it('a code used by a guest shows its day and open sessions to the owner; an unused code shows never; closing counts down', async () => {
    const used = await owner.createAccessCode(share, { label: 'Steuerberater', readOnly: true, expiresAt: null });
    const unused = await owner.createAccessCode(share, { label: 'Prüfer', readOnly: true, expiresAt: null });
    expect(await usageOf(used.info.id)).toEqual({ id: used.info.id, lastUsed: null, openSessions: 0 });

    const before = Date.now();
    const typed = used.code.toLowerCase().replace(/-/g, ' ');
    const g1 = await shareDevice('usage-g1').launcher.joinWithCode({ relayUrl: relay.url, team, code: typed });
    const g2 = await shareDevice('usage-g2').launcher.joinWithCode({ link: used.link });
    expect((await g1.listItems(share)).map((i) => i.title)).toEqual(['Akte']);
    const u = await usageOf(used.info.id);
    expect(u?.openSessions).toBe(2);
    expect(u!.lastUsed).toBeGreaterThanOrEqual(dayStart(before));
    expect(u!.lastUsed).toBeLessThanOrEqual(dayStart(Date.now()));
    expect(await usageOf(unused.info.id)).toEqual({ id: unused.info.id, lastUsed: null, openSessions: 0 });

    await g2.lock();
    const after = await until(() => usageOf(used.info.id), (x) => x?.openSessions === 1, 'one open session');
    expect(after!.lastUsed).toBe(u!.lastUsed);
    await g1.lock();
    await until(() => usageOf(used.info.id), (x) => x?.openSessions === 0, 'no open session');
  });

  it('an editor and a guest are refused by the relay (NOT_ALLOWED); a non-member share is NOT_FOUND', async () => {
    const c = await owner.createAccessCode(share, { label: 'g', readOnly: true, expiresAt: null });
    expect(await codeOf(editor.accessCodeUsage(share))).toBe('NOT_ALLOWED');
    const guest = await shareDevice('usage-guest').launcher.joinWithCode({ link: c.link });
    // the guest API refuses locally; the relay refuses the raw request too
    expect(await codeOf(guest.accessCodeUsage(share))).toBe('NOT_ALLOWED');
    expect(await codeOf(sessionOf(guest).conn.request({ type: 'code.usage', share }))).toBe('NOT_ALLOWED');
    const other = (await owner.createShare('Andere')).id;
    await synced(owner);
    expect(await codeOf(editor.accessCodeUsage(other))).toBe('NOT_FOUND');
    await lockAll(guest);
  });

  it('a rotated code is gone from the answer; its successor starts at never used', async () => {
    const c = await owner.createAccessCode(share, { label: 'rot', readOnly: true, expiresAt: null });
    const g = await shareDevice('usage-rot').launcher.joinWithCode({ link: c.link });
    expect((await usageOf(c.info.id))?.openSessions).toBe(1);
    const next = await owner.rotateAccessCode(share, c.info.id);
    const ids = (await owner.accessCodeUsage(share)).map((x) => x.id);
    expect(ids).not.toContain(c.info.id);
    expect(await usageOf(next.info.id)).toEqual({ id: next.info.id, lastUsed: null, openSessions: 0 });
    expect((await owner.accessCodes(share)).find((x) => x.id === c.info.id)?.live).toBe(false);
    await lockAll(g);
  });

  it('a code of the old TRH- form (made before the read-aloud form) still joins, typed in lower case with spaces', async () => {
    const old = await createAccessCode(sessionOf(owner), share, { label: 'alt', readOnly: true, expiresAt: null }, async () => newAccessCodeV1());
    expect(old.code).toMatch(/^TRH(-[0-9A-Z]{1,4}){13}$/);
    const g = await shareDevice('usage-v1').launcher.joinWithCode({ relayUrl: relay.url, team, code: old.code.toLowerCase().replace(/-/g, ' ') });
    expect((await g.listItems(share)).map((i) => i.title)).toEqual(['Akte']);
    expect((await usageOf(old.info.id))?.openSessions).toBe(1);
    await lockAll(g);
  });

  it('a code with one wrong character is CODE_TYPO, sent nowhere: the relay counts no failed attempt and no use', async () => {
    const c = await owner.createAccessCode(share, { label: 'typo', readOnly: true, expiresAt: null });
    const failures = authFailures();
    const i = 7;
    const bad = c.code.slice(0, i) + CODE_ALPHABET[(CODE_ALPHABET.indexOf(c.code[i]!) + 1) % 32] + c.code.slice(i + 1);
    const dev = shareDevice('usage-typo');
    expect(await codeOf(dev.launcher.joinWithCode({ relayUrl: relay.url, team, code: bad }))).toBe('CODE_TYPO');
    expect(dev.sockets.size + dev.closes.length).toBe(0); // no socket was ever opened
    expect(authFailures()).toBe(failures);
    expect(await usageOf(c.info.id)).toEqual({ id: c.info.id, lastUsed: null, openSessions: 0 });
    // the contrast: a well-formed code with a wrong secret does reach the relay and is counted
    const parsed = parseAccessCode(c.code, team as TeamId);
    const wrong = formatAccessCode({ ...parsed, secret: parsed.secret.map((b) => b ^ 0xff) });
    expect(await codeOf(shareDevice('usage-wrong').launcher.joinWithCode({ relayUrl: relay.url, team, code: wrong }))).toBe('NOT_ALLOWED');
    expect(authFailures()).toBe(failures + 1);
  });
});

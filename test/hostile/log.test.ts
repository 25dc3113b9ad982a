/**
 * Hostile relay on the membership log, at the layer that exists today (core/vault/session.ts
 * syncLog + the LogVerifier seam; core/share/ will replace the verifier): a device that has
 * verified the log asks for new entries and the relay serves them forged — an entry by a
 * non-member that adds a member, a swapped key commitment, entries reordered, one dropped, a
 * fork, an already-verified index re-served differently (rollback). Each is refused with a
 * specific code, the verified state does not move, and once the relay serves the genuine
 * entries they are accepted (nothing lost).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relayAvailable } from '../integration/sync/helpers/relay.js';
import { synced, waitFor } from '../integration/sync/helpers/devices.js';
import { sessionOf } from '../../core/vault/api.js';
import { nextEntry, type LogEntry } from '../../core/vault/membership.js';
import { keyCommit, newShareKey, wrapShareKeyForMember } from '../../core/model/share-keys.js';
import { newSignKeyPair } from '../../core/crypto/keys.js';
import { ready } from '../../core/crypto/sodium.js';
import { fromB64url, toB64url } from '../../core/encoding.js';
import { newId, type ShareId } from '../../core/ids.js';
import type { BoxPublicKey } from '../../core/crypto/key-types.js';
import type { VaultErrorCode } from '../../core/errors.js';
import type { VaultApi } from '../../core/vault-api.js';
import { HostileRelay, RequestTracker, rewriteJson } from './harness.js';
import { codeOf, device } from './util.js';

const PW = 'hostile log password';
let h: HostileRelay;
let owner: VaultApi;
let reader: VaultApi;
let share: ShareId;

/** The owner appends `n` genuine epoch rotations (log entry + wraps) and returns them. */
async function rotate(n: number): Promise<LogEntry[]> {
  const s = sessionOf(owner);
  const out: LogEntry[] = [];
  for (let i = 0; i < n; i++) {
    const st = await s.syncLog(share);
    const key = newShareKey();
    const epoch = st.epoch + 1;
    const e = nextEntry(share, st, s.keys.account, { t: 'epoch', epoch, keyCommit: toB64url(keyCommit(key, s.team, share, epoch)) }, Date.now(), s.keys.sign.secretKey);
    const wraps = [...st.members.values()].map((m) => ({ epoch, to: { kind: 'account', id: m.account }, wrapped: toB64url(wrapShareKeyForMember(key, fromB64url(m.boxPk) as BoxPublicKey)) }));
    await s.conn.request({ type: 'log.append', share, entries: [e], wraps });
    s.keyring.put(share, epoch, key);
    out.push(e);
  }
  await s.syncLog(share);
  return out;
}

beforeAll(async () => {
  await ready();
  stranger = newSignKeyPair();
  if (!relayAvailable) return;
  h = await HostileRelay.start();
  const created = await device('log-owner').launcher.createTeam({ displayName: 'Owner', teamName: 'Firm', relayUrl: h.url, password: PW, deviceName: 'o' });
  owner = created.vault;
  share = (await owner.createShare('Log')).id as ShareId;
  await synced(owner);
  reader = await device('log-reader').launcher.signInNewDevice({ kit: created.kit, password: PW, deviceName: 'r' });
  await waitFor(reader, async () => ((await reader.listShares()).some((x) => x.id === share) ? true : undefined), 'reader has the share');
});
afterAll(async () => {
  await reader?.lock().catch(() => undefined);
  await owner?.lock().catch(() => undefined);
  await h?.stop();
});

/** The reader's current proxy link (the one that authenticated with the reader's device id). */
function readerLink() {
  const dev = sessionOf(reader).keys.device!.id;
  const ids = new Set(h.captured.filter((c) => c.dir === 'up' && typeof c.data === 'string' && c.data.includes('"method":"device"') && c.data.includes(dev)).map((c) => c.link));
  return h.links.filter((l) => ids.has(l.id)).at(-1);
}

type Forge = (genuine: LogEntry[], known: LogEntry[]) => LogEntry[];
let stranger: ReturnType<typeof newSignKeyPair>;
const strangerId = newId();

const cases: [string, VaultErrorCode, number, Forge][] = [
  ['an entry by a non-member that adds a member', 'NOT_ALLOWED', 1, ([g]) => {
    const { sig: _s, ...u } = g!;
    return [nextEntry(share, { head: { index: g!.index - 1, hash: g!.prev } } as never, strangerId, { t: 'add', account: strangerId, boxPk: toB64url(new Uint8Array(32)), signPk: toB64url(stranger.publicKey), role: 'admin' }, u.ts, stranger.secretKey)];
  }],
  ['the key commitment of a rotation swapped', 'BAD_SIGNATURE', 1, ([g]) => [{ ...g!, op: { ...g!.op, keyCommit: toB64url(new Uint8Array(32).fill(5)) } }]],
  ['the author of an entry swapped to a stranger (key swap)', 'NOT_ALLOWED', 1, ([g]) => [{ ...g!, author: strangerId }]],
  ['two new entries reordered', 'LOG_FORKED', 2, ([a, b]) => [b!, a!]],
  ['an entry dropped from the middle', 'LOG_FORKED', 2, ([, b]) => [b!]],
  ['a fork: the next entry chains to another history', 'LOG_FORKED', 1, ([g]) => [{ ...g!, prev: toB64url(new Uint8Array(32).fill(1)) }]],
  ['a rollback: an already-verified index re-served with other content', 'LOG_FORKED', 1, (_g, known) => [{ ...known.at(-1)!, ts: known.at(-1)!.ts + 1 }]],
];

describe.skipIf(!relayAvailable)('hostile relay: membership log', () => {
  for (const [what, code, n, forge] of cases) {
    it(`${what} → ${code}; verified state unchanged; genuine entries accepted afterwards`, async () => {
      const rs = sessionOf(reader);
      const before = await rs.syncLog(share);
      const known = [...before.entries];
      let genuine: LogEntry[] | null = null;
      const t = new RequestTracker();
      // installed before the rotation: the 'log' notice would otherwise let the reader fetch the genuine entries first
      h.hooks = [t.hook, rewriteJson('down', (m, link) => {
        const q = t.requestOf(link, m.id);
        if (m.type !== 'ok' || q?.type !== 'log.get' || q.share !== share || link !== readerLink()) return undefined;
        if (!m.entries.some((e: LogEntry) => e.index > before.head.index)) return undefined;
        return { ...m, entries: genuine ? forge(genuine, known) : [] }; // withheld until the forgery is ready
      })];
      genuine = await rotate(n);
      try {
        expect(await codeOf(rs.syncLog(share))).toBe(code);
        const after = rs.shares.get(share)!;
        expect(after.head).toEqual(before.head);
        expect(after.epoch).toBe(before.epoch);
        expect([...after.members.keys()]).toEqual([...before.members.keys()]);
        expect(after.members.has(strangerId)).toBe(false);
      } finally {
        h.hooks = [];
      }
      const ok = await rs.syncLog(share);
      expect(ok.head.index).toBe(genuine.at(-1)!.index);
      expect(ok.epoch).toBe(before.epoch + n);
    });
  }
});

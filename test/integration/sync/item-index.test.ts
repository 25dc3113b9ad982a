/**
 * Issue 19: each pulled record is verified and opened once; the sealed local summary index
 * lets an unlock list the share without verifying or decrypting its records again, holds
 * nothing readable, and a tampered or misplaced index is refused (TAMPERED) and rebuilt.
 * Real relay process, real core, fake-indexeddb per device. The spy only counts calls into
 * libsodium's Ed25519 verify; it changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { relayAvailable, startRelay, type RelayProcess } from './helpers/relay.js';
import { simDevice, synced, waitFor, waitStatus, type SimDevice } from './helpers/devices.js';
import { sodium } from '../../../core/crypto/sodium.js';
import { concatBytes, fromUtf8, toB64url, utf8 } from '../../../core/encoding.js';
import { aeadOpen, aeadSeal } from '../../../core/crypto/aead.js';
import { deriveSubkey } from '../../../core/crypto/kdf.js';
import { canonicalBytes } from '../../../core/canonical.js';
import { sessionOf } from '../../../core/vault/api.js';
import type { SymmetricKey } from '../../../core/crypto/key-types.js';
import { RECORD_SIG_DOMAIN } from '../../../core/model/record.js';
import type { ShareId } from '../../../core/ids.js';
import type { VaultApi } from '../../../core/vault-api.js';
import { inlineKdf, type KdfRunner } from '../../../core/crypto/kdf-runner.js';

const PW = 'correct horse battery staple';
const MARKER = 'Geheimvermerk-Quokka-7731';
const N = 30;
let relay: RelayProcess;
let a: VaultApi;
let b: VaultApi;
let devB: SimDevice;
let share: string;
let other: string;
let noteIds: string[];

/** Item id → how often libsodium verified a record signature of that item. */
function recordVerifies(spy: { mock: { calls: unknown[][] } }): Map<string, number> {
  const prefix = RECORD_SIG_DOMAIN;
  const out = new Map<string, number>();
  for (const call of spy.mock.calls) {
    const text = fromUtf8(call[1] as Uint8Array);
    if (!text.startsWith(prefix)) continue;
    const item = (JSON.parse(text.slice(prefix.length)) as { item: string }).item;
    out.set(item, (out.get(item) ?? 0) + 1);
  }
  return out;
}

async function sealedIndex(dev: SimDevice, sh: string): Promise<Uint8Array> {
  const store = dev.openStore();
  try {
    for (let i = 0; i < 200; i++) {
      const got = await store.getSealedIndex(sh as ShareId);
      if (got) return got;
      await new Promise((r) => setTimeout(r, 50)); // written 1.5 s after a listing settles
    }
    throw new Error('no sealed index written');
  } finally {
    await store.close();
  }
}

describe.skipIf(!relayAvailable)('item index', () => {
  beforeAll(async () => {
    relay = await startRelay();
    const created = await simDevice('idx-a').launcher.createTeam({ displayName: 'Owner', teamName: 'Firm', relayUrl: relay.url, password: PW, deviceName: 'a' });
    a = created.vault;
    share = (await a.createShare('Kanzlei')).id;
    other = (await a.createShare('Privat')).id;
    noteIds = [];
    for (let i = 0; i < N; i++) noteIds.push(await a.saveNote(share, { title: `Akte ${i}`, body: `${MARKER} ${i}`, tags: [] }));
    await a.saveNote(other, { title: 'Anderes', body: 'x', tags: [] });
    await synced(a);
    devB = simDevice('idx-b');
    const spy = vi.spyOn(sodium(), 'crypto_sign_verify_detached');
    b = await devB.launcher.signInNewDevice({ kit: created.kit, password: PW, deviceName: 'b' });
    await waitFor(b, async () => ((await b.listItems(share)).length === N ? true : undefined), 'all notes listed on b');
    await b.listItems(share);
    (globalThis as { __verifies?: Map<string, number> }).__verifies = recordVerifies(spy);
    spy.mockRestore();
  }, 120_000);

  afterAll(async () => {
    await a?.lock();
    await b?.lock().catch(() => undefined);
    await relay?.stop();
  });

  it('a pulled record is verified exactly once, though it was listed three times', () => {
    const seen = (globalThis as { __verifies?: Map<string, number> }).__verifies!;
    expect(noteIds.map((id) => seen.get(id))).toEqual(noteIds.map(() => 1));
  });

  it('search text covers title and body, lower-cased, in memory', async () => {
    const items = await b.listItems(share);
    const i7 = items.find((i) => i.id === noteIds[7]);
    expect(i7?.text).toBe(`akte 7\n${MARKER.toLowerCase()} 7`);
  });

  it('the sealed index holds no plaintext, and unlock lists from it without verifying a record', async () => {
    const sealed = await sealedIndex(devB, share);
    const hay = [new TextDecoder().decode(sealed), Buffer.from(sealed).toString('latin1'), toB64url(sealed)].join('\n');
    for (const s of [MARKER, MARKER.toLowerCase(), 'Akte 3', toB64url(utf8(MARKER))]) expect(hay).not.toContain(s);
    await b.lock();
    b = await devB.launcher.unlock(PW);
    const spy = vi.spyOn(sodium(), 'crypto_sign_verify_detached');
    const items = await b.listItems(share);
    const seen = recordVerifies(spy);
    spy.mockRestore();
    expect(items.map((i) => i.title).sort()).toEqual(noteIds.map((_, i) => `Akte ${i}`).sort());
    expect(noteIds.filter((id) => seen.has(id))).toEqual([]);
  });

  it('unlock reads every share\'s sealed index while Argon2id runs, and the listing uses that read', async () => {
    await b.lock();
    const reads: string[] = [];
    let readsWhenDerived = -1;
    const runner = Object.assign(async (...args: Parameters<KdfRunner>) => {
      const key = await inlineKdf(...args);
      await new Promise((r) => setTimeout(r, 100)); // Argon2id takes a while in the app; the reads need less
      readsWhenDerived = reads.length;
      return key;
    }, { code: inlineKdf.code });
    const again = simDevice('idx-b', {
      idb: devB.idb, kdf: runner,
      wrapStore: (s) => new Proxy(s, { get: (t, p) => (p === 'getSealedIndex' ? (sh: ShareId) => { reads.push(String(sh)); return t.getSealedIndex(sh); } : Reflect.get(t, p, t)) }),
    });
    b = await again.launcher.unlock(PW);
    expect(readsWhenDerived).toBe(2);
    expect([...reads].sort()).toEqual([share, other].sort());
    expect((await b.listItems(share)).map((i) => i.title).sort()).toEqual(noteIds.map((_, i) => `Akte ${i}`).sort());
    expect(reads).toHaveLength(2); // listed from the prefetched read, not read again
  });

  it('an index written by the previous app version (v1: the author as a word) is rebuilt quietly, not reported as TAMPERED', async () => {
    const sealed = await sealedIndex(devB, share);
    const sess = sessionOf(b);
    const key = deriveSubkey<SymmetricKey>(sess.keys.sign.secretKey.subarray(0, 32), 'truhe/summary-index');
    const ad = concatBytes(utf8('truhe/summary-index/v1'), canonicalBytes({ team: sess.team, share, account: sess.keys.account }));
    const current = JSON.parse(fromUtf8(aeadOpen(key, sealed, ad))) as { v: number; entries: [string, { author: unknown } | null][] };
    expect(current.v).toBe(2);
    const old = { v: 1, entries: current.entries.map(([k, sum]) => [k, sum && { ...sum, author: 'you' }]) };
    await b.lock();
    const store = devB.openStore();
    await store.putSealedIndex(share as ShareId, aeadSeal(key, utf8(JSON.stringify(old)), ad));
    await store.close();
    b = await devB.launcher.unlock(PW);
    const errors: string[] = [];
    const unsub = b.onStatus((st) => { if (st.lastError) errors.push(st.lastError.code); });
    const spy = vi.spyOn(sodium(), 'crypto_sign_verify_detached');
    const items = await b.listItems(share);
    const seen = recordVerifies(spy);
    spy.mockRestore();
    unsub();
    expect(errors).not.toContain('TAMPERED');
    expect(items.length).toBe(N);
    expect(noteIds.every((id) => seen.has(id))).toBe(true); // rebuilt from the records
    expect(items.every((i) => typeof i.author === 'object' && typeof i.author.isMe === 'boolean')).toBe(true);
  });

  it('an index that opens but holds an entry this app does not write is refused whole (TAMPERED) and rebuilt, never listed', async () => {
    type Entry = [string, Record<string, unknown> | null];
    const variants: [string, (e: Entry) => unknown][] = [
      ['version as text', ([k, sum]) => [k, sum && { ...sum, version: String(sum.version) }]],
      ['author without isMe', ([k, sum]) => [k, sum && { ...sum, author: { ...(sum.author as object), isMe: undefined } }]],
      ['a third element', (e) => [...e, 'x']],
      ['a tag that is no text', ([k, sum]) => [k, sum && { ...sum, tags: [7] }]],
      ['no key', ([, sum]) => [null, sum]],
    ];
    for (const [what, spoil] of variants) {
      const sess = sessionOf(b);
      const key = deriveSubkey<SymmetricKey>(sess.keys.sign.secretKey.subarray(0, 32), 'truhe/summary-index');
      const ad = concatBytes(utf8('truhe/summary-index/v1'), canonicalBytes({ team: sess.team, share, account: sess.keys.account }));
      let current = { v: 0, entries: [] as Entry[] };
      const rebuilt = () => current.v === 2 && current.entries.some(([, sum]) => sum?.title === 'Akte 3');
      for (let t = 0; t < 100 && !rebuilt(); t++) { // the index the last unlock rebuilt (written 1.5 s after its listing)
        if (t > 0) await new Promise((r) => setTimeout(r, 50));
        current = JSON.parse(fromUtf8(aeadOpen(key, await sealedIndex(devB, share), ad))) as typeof current;
      }
      const i = current.entries.findIndex(([, sum]) => sum?.title === 'Akte 3');
      expect(i, what).toBeGreaterThanOrEqual(0);
      // The spoiled entry says "Falsch" for Akte 3; the others stay right.
      current.entries[i] = spoil([current.entries[i]![0], { ...current.entries[i]![1], title: 'Falsch' }]) as Entry;
      await b.lock();
      const store = devB.openStore();
      await store.putSealedIndex(share as ShareId, aeadSeal(key, utf8(JSON.stringify(current)), ad));
      await store.close();
      b = await devB.launcher.unlock(PW);
      const reported = waitStatus(b, (st) => st.lastError?.code === 'TAMPERED', `TAMPERED reported (${what})`);
      const items = await b.listItems(share);
      expect((await reported).lastError?.message, what).toMatch(/loadIndex/);
      expect(items.map((it) => it.title).sort(), what).toEqual(noteIds.map((_, n) => `Akte ${n}`).sort());
    }
  });

  it('a tampered index is refused with TAMPERED and the list is rebuilt from the records', async () => {
    const sealed = await sealedIndex(devB, share);
    await b.lock();
    const store = devB.openStore();
    sealed[sealed.length - 5]! ^= 1;
    await store.putSealedIndex(share as ShareId, sealed);
    await store.close();
    b = await devB.launcher.unlock(PW);
    const reported = waitStatus(b, (s) => s.lastError?.code === 'TAMPERED', 'TAMPERED reported');
    const items = await b.listItems(share);
    expect((await reported).lastError?.message).toMatch(/loadIndex/);
    expect(items.length).toBe(N);
    expect(items.find((i) => i.id === noteIds[3])?.text).toContain(`${MARKER.toLowerCase()} 3`);
  });

  it("another share's index in this share's slot is refused (bound to team, share and account)", async () => {
    await b.listItems(other);
    const foreign = await sealedIndex(devB, other);
    await b.lock();
    const store = devB.openStore();
    await store.putSealedIndex(share as ShareId, foreign);
    await store.close();
    b = await devB.launcher.unlock(PW);
    const reported = waitStatus(b, (s) => s.lastError?.code === 'TAMPERED', 'TAMPERED reported');
    const items = await b.listItems(share);
    await reported;
    expect(items.map((i) => i.title)).not.toContain('Anderes');
    expect(items.length).toBe(N);
  });
});

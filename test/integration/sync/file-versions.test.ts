/**
 * Issue 17: "Replace with new version…" keeps one file item with its history. Real relay, real
 * core, two devices of one account: the second device sees one item with two versions whose bytes
 * both read back exactly; an older version is restored; a source that fails midway writes nothing;
 * a replace that meets another device's replace keeps both contents.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relayAvailable, startRelay, type RelayProcess } from './helpers/relay.js';
import { simDevice, synced, waitFor, waitStatus, type SimDevice } from './helpers/devices.js';
import type { FileSource, VaultApi } from '../../../core/vault-api.js';
import { FILE_CHUNK_SIZE } from '../../../core/vault/files.js';

const PW = 'file versions password';
let relay: RelayProcess;
let a: VaultApi, b: VaultApi;
let devB: SimDevice;
let share: string;

function bytesOf(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) { x = (x * 1103515245 + 12345) >>> 0; out[i] = x >>> 24; }
  return out;
}

function source(name: string, data: Uint8Array, type = 'application/octet-stream', failAfter?: number): FileSource {
  return {
    name, type, size: data.length,
    stream: () => {
      let at = 0;
      return new ReadableStream<Uint8Array>({
        pull(c) {
          if (failAfter !== undefined && at >= failAfter) return c.error(new Error('disk read failed'));
          if (at >= data.length) return c.close();
          const n = Math.min(256 * 1024, data.length - at);
          c.enqueue(data.slice(at, at + n));
          at += n;
        },
      });
    },
  };
}

async function read(v: VaultApi, item: string, version?: number): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  const reader = v.readFile(share, item, undefined, version).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

/** Byte-exact comparison (vitest's deep equality takes seconds on a MiB). */
function expectBytes(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual.length).toBe(expected.length);
  expect(Buffer.from(actual).equals(Buffer.from(expected))).toBe(true);
}

const versionsOf = async (v: VaultApi, item: string) => (await v.history(share, item)).map((h) => h.version);

beforeAll(async () => {
  if (!relayAvailable) return;
  relay = await startRelay();
  const created = await simDevice('fv-a').launcher.createTeam({ displayName: 'Owner', teamName: 'Firm', relayUrl: relay.url, password: PW, deviceName: 'a' });
  a = created.vault;
  share = (await a.createShare('Akten')).id;
  await synced(a);
  devB = simDevice('fv-b');
  b = await devB.launcher.signInNewDevice({ kit: created.kit, password: PW, deviceName: 'b' });
});

afterAll(async () => {
  for (const v of [a, b]) await v?.lock().catch(() => undefined);
  await relay?.stop();
});

describe.skipIf(!relayAvailable)('replace a file with a new version', () => {
  it('another device sees one item with two versions; both versions read back byte for byte', async () => {
    const v1 = bytesOf(FILE_CHUNK_SIZE + 1000, 1); // two chunks
    const v2 = bytesOf(2 * FILE_CHUNK_SIZE + 3000, 2); // three chunks
    const item = await a.importFile(share, source('report.pdf', v1, 'application/pdf'));
    const progress: number[] = [];
    const res = await a.replaceFile(share, item, source('report-final.pdf', v2, 'application/pdf'), { base: 1, onProgress: (done, total) => { expect(total).toBe(v2.length); progress.push(done); } });
    expect(res).toEqual({ item, outcome: 'replaced' });
    expect(progress).toEqual([FILE_CHUNK_SIZE, 2 * FILE_CHUNK_SIZE, v2.length]); // one step per sealed chunk
    await synced(a);
    const listed = await waitFor(b, async () => {
      const items = (await b.listItems(share)).filter((i) => i.kind === 'file');
      return items.length === 1 && items[0]!.version === 2 ? items : undefined;
    }, 'one file at v2 on b');
    expect(listed[0]).toMatchObject({ id: item, title: 'report.pdf', size: v2.length, version: 2 });
    expect(await versionsOf(b, item)).toEqual([2, 1]);
    expectBytes(await read(b, item), v2);
    expectBytes(await read(b, item, 2), v2);
    expectBytes(await read(b, item, 1), v1);
  });

  it('an older file version is restored as a new version with its exact bytes, on both devices', async () => {
    const v1 = bytesOf(5000, 3);
    const v2 = bytesOf(7000, 4);
    const item = await a.importFile(share, source('plan.txt', v1, 'text/plain'));
    await a.replaceFile(share, item, source('plan.txt', v2, 'text/plain'));
    await synced(a);
    await waitFor(b, async () => ((await b.listItems(share)).find((i) => i.id === item)?.version === 2 ? true : undefined), 'v2 on b');
    await b.restoreVersion(share, item, 1);
    await synced(b);
    await waitFor(a, async () => ((await a.listItems(share)).find((i) => i.id === item)?.version === 3 ? true : undefined), 'v3 on a');
    expectBytes(await read(a, item), v1);
    expect(await versionsOf(a, item)).toEqual([3, 2, 1]);
    expectBytes(await read(a, item, 2), v2);
  });

  it('a source that fails midway writes no version: the old one stays current', async () => {
    const v1 = bytesOf(1000, 5);
    const item = await a.importFile(share, source('kept.bin', v1));
    await synced(a);
    const big = bytesOf(2 * FILE_CHUNK_SIZE + 10, 6);
    await expect(a.replaceFile(share, item, source('kept.bin', big, 'application/octet-stream', FILE_CHUNK_SIZE + 1))).rejects.toMatchObject({ name: 'VaultError' });
    expect(await versionsOf(a, item)).toEqual([1]);
    expectBytes(await read(a, item), v1);
    expect((await a.listItems(share)).filter((i) => i.title === 'kept.bin')).toHaveLength(1);
  });

  it('a note is not a file: replaceFile refuses it (NOT_FOUND) and the note is unchanged', async () => {
    const note = await a.saveNote(share, { title: 'Kein Dokument', body: 'Text', tags: [] });
    await expect(a.replaceFile(share, note, source('x.txt', bytesOf(10, 13)))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await versionsOf(a, note)).toEqual([1]);
    expect((await a.readNote(share, note)).body).toBe('Text');
  });

  it('a replace of a file replaced elsewhere meanwhile keeps both: the head stays, the new content is a conflicted copy', async () => {
    const v1 = bytesOf(2000, 7);
    const fromA = bytesOf(2100, 8);
    const fromB = bytesOf(2200, 9);
    const item = await a.importFile(share, source('vertrag.pdf', v1, 'application/pdf'));
    await synced(a);
    await waitFor(b, async () => ((await b.listItems(share)).some((i) => i.id === item) ? true : undefined), 'file on b');
    await a.replaceFile(share, item, source('vertrag.pdf', fromA, 'application/pdf'), { base: 1 });
    await synced(a);
    await waitFor(b, async () => ((await b.listItems(share)).find((i) => i.id === item)?.version === 2 ? true : undefined), 'a’s v2 on b');
    const res = await b.replaceFile(share, item, source('vertrag.pdf', fromB, 'application/pdf'), { base: 1 }); // b's user started from v1
    expect(res.outcome).toBe('conflict');
    expect((await waitStatus(b, (s) => s.lastError?.code === 'FILE_CONFLICT_COPY', 'notice')).lastError?.code).toBe('FILE_CONFLICT_COPY');
    await synced(b);
    for (const v of [a, b]) {
      const copy = await waitFor(v, async () => (await v.listItems(share)).find((i) => i.id === res.item), 'copy listed');
      expect(copy.conflictOf).toBe(item);
      expect(copy.title).toMatch(/^vertrag \(conflicted copy \d{4}-\d\d-\d\d \d\d:\d\d\)\.pdf$/);
      expectBytes(await read(v, res.item), fromB);
      expectBytes(await read(v, item), fromA);
      expect(await versionsOf(v, item)).toEqual([2, 1]);
    }
  });

  it('two devices replace the same version at once (one offline): one item, both contents in its history', async () => {
    const v1 = bytesOf(3000, 10);
    const fromA = bytesOf(3100, 11);
    const fromB = bytesOf(3200, 12);
    const item = await a.importFile(share, source('liste.csv', v1, 'text/csv'));
    await synced(a);
    await waitFor(b, async () => ((await b.listItems(share)).some((i) => i.id === item) ? true : undefined), 'file on b');
    devB.offline = true;
    devB.dropConnections();
    await waitStatus(b, (s) => s.connection !== 'online', 'b offline');
    await a.replaceFile(share, item, source('liste.csv', fromA, 'text/csv'));
    await synced(a);
    expect((await b.replaceFile(share, item, source('liste.csv', fromB, 'text/csv'), { base: 1 })).outcome).toBe('replaced'); // b has not seen a's
    devB.offline = false;
    await synced(b);
    for (const v of [a, b]) {
      const found = await waitFor(v, async () => {
        const hist = await v.history(share, item);
        return hist.length >= 3 ? hist : undefined;
      }, 'merged history');
      const files = (await v.listItems(share)).filter((i) => i.title.startsWith('liste'));
      expect(files.map((f) => f.id)).toEqual([item]);
      const contents = await Promise.all(found.map((h) => read(v, item, h.version)));
      for (const want of [v1, fromA, fromB]) expect(contents.some((c) => Buffer.from(c).equals(Buffer.from(want)))).toBe(true);
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { b64, newId } from './helpers/client.js';
import { connectDevice, createShare, createTeam, randomBytes, record, sha256 } from './helpers/fixtures.js';
import { backends, startInProcess } from './helpers/relay-harness.js';


describe.each(backends)('relay records and chunks ($name)', (backend) => {
  let r: Awaited<ReturnType<typeof startInProcess>>;
  beforeAll(async () => { r = await startInProcess(backend, { limits: { retention: 3, quotaBytes: 600_000 } }); });
  afterAll(async () => { await r.stop(); });

  it('push, pull with pagination, conflict with head, idempotent retry, live changed', async () => {
    const { c, team, owner } = await createTeam(r.url);
    const log = await createShare(c, owner);
    const me = { kind: 'account' as const, id: owner.account };
    const other = await connectDevice(r.url, team, owner);
    const recs = Array.from({ length: 5 }, () => record(me));
    const ok = await c.request({ type: 'push', share: log.share, records: recs });
    expect(ok).toMatchObject({ type: 'ok', seqs: [1, 2, 3, 4, 5] });
    const notice = await other.c.next((m) => m.type === 'changed');
    expect(notice).toEqual({ type: 'changed', share: log.share, seq: 5, generation: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/) });
    expect(c.inbox.filter((m: any) => m.type === 'changed')).toEqual([]);
    // retry of the same push: same acks, nothing applied twice
    expect(await c.request({ type: 'push', share: log.share, records: recs })).toMatchObject({ type: 'ok', seqs: [1, 2, 3, 4, 5] });
    const p1 = await c.request({ type: 'pull', share: log.share, since: 0, limit: 2 });
    expect(p1).toMatchObject({ head: 5, more: true, generation: notice.generation }); // the relay data's generation (DESIGN.md §9)
    expect(p1.records.map((x: any) => x.seq)).toEqual([1, 2]);
    expect(p1.records[0]).toEqual({ ...recs[0], seq: 1 });
    const p2 = await c.request({ type: 'pull', share: log.share, since: 2, limit: 10 });
    expect(p2).toMatchObject({ head: 5, more: false });
    expect(p2.records.map((x: any) => x.seq)).toEqual([3, 4, 5]);
    // edit item 0: v2 on base 1 ok; a stale v2 from another device conflicts carrying the head
    const v2 = record(me, { item: recs[0]!.item, version: 2, baseVersion: 1 });
    expect(await c.request({ type: 'push', share: log.share, records: [v2] })).toMatchObject({ type: 'ok', seqs: [6] });
    const stale = record(me, { item: recs[0]!.item, version: 2, baseVersion: 1 });
    expect(await other.c.request({ type: 'push', share: log.share, records: [stale] })).toEqual({ type: 'conflict', id: expect.any(Number), item: v2.item, head: { ...v2, seq: 6 } });
    // all-or-nothing: a batch with one stale record applies nothing
    const fresh = record(me);
    expect((await c.request({ type: 'push', share: log.share, records: [fresh, stale] })).type).toBe('conflict');
    expect((await c.request({ type: 'pull', share: log.share, since: 6 })).records).toEqual([]);
    // pull returns only the latest version of a changed item
    const all = await c.request({ type: 'pull', share: log.share, since: 0 });
    expect(all.records.filter((x: any) => x.item === v2.item)).toEqual([{ ...v2, seq: 6 }]);
    // a record signed as someone else is refused
    expect(await c.request({ type: 'push', share: log.share, records: [record({ kind: 'account', id: newId() })] })).toMatchObject({ code: 'NOT_ALLOWED' });
    other.c.close();
    c.close();
  });

  it('pipelined pushes (one group commit): each push stands or falls alone; seqs stay dense and the head is kept', async () => {
    const { c, owner } = await createTeam(r.url);
    const log = await createShare(c, owner);
    const me = { kind: 'account' as const, id: owner.account };
    const base = record(me);
    expect(await c.request({ type: 'push', share: log.share, records: [base] })).toMatchObject({ seqs: [1] });
    const stale = record(me, { item: base.item, version: 2, baseVersion: 0 });
    const [a, b1, b2, d, e1, e2] = Array.from({ length: 6 }, () => record(me));
    // sent in one go, without waiting: the relay commits them together
    const answers = await Promise.all([
      c.request({ type: 'push', share: log.share, records: [a!] }),
      c.request({ type: 'push', share: log.share, records: [b1!, stale, b2!] }), // conflicts after one good record
      c.request({ type: 'push', share: log.share, records: [d!] }),
      c.request({ type: 'push', share: log.share, records: [stale] }),
      c.request({ type: 'push', share: log.share, records: [e1!, e2!] }),
    ]);
    expect(answers.map((x) => x.type)).toEqual(['ok', 'conflict', 'ok', 'conflict', 'ok']);
    expect([answers[0]!.seqs, answers[2]!.seqs, answers[4]!.seqs]).toEqual([[2], [3], [4, 5]]);
    const pulled = await c.request({ type: 'pull', share: log.share, since: 1 });
    expect(pulled.head).toBe(5);
    expect(pulled.records.map((x: any) => [x.item, x.seq])).toEqual([[a!.item, 2], [d!.item, 3], [e1!.item, 4], [e2!.item, 5]]);
    // nothing of the refused multi-record push was kept, and the head was stored: the next push goes on at 6
    expect(pulled.records.some((x: any) => x.item === b1!.item || x.item === b2!.item)).toBe(false);
    expect(await c.request({ type: 'push', share: log.share, records: [b1!] })).toMatchObject({ type: 'ok', seqs: [6] });
    c.close();
  });

  it('keeps `retention` versions for history', async () => {
    const { c, owner } = await createTeam(r.url);
    const log = await createShare(c, owner);
    const me = { kind: 'account' as const, id: owner.account };
    const item = newId();
    for (let v = 1; v <= 5; v++) expect((await c.request({ type: 'push', share: log.share, records: [record(me, { item, version: v, baseVersion: v - 1 })] })).type).toBe('ok');
    const h = await c.request({ type: 'history', share: log.share, item });
    expect(h.records.map((x: any) => x.version)).toEqual([4, 3]);
    c.close();
  });

  it('chunks: put checks the hash, has/get, quota', async () => {
    const { c, owner } = await createTeam(r.url);
    const log = await createShare(c, owner);
    const bytes = randomBytes(50_000);
    const hash = sha256(bytes);
    expect(await c.request({ type: 'chunk.has', share: log.share, hashes: [hash] })).toMatchObject({ has: [false] });
    expect(await c.putChunk(log.share, sha256(randomBytes(10)), bytes)).toMatchObject({ type: 'error', code: 'HASH_MISMATCH' });
    expect(await c.putChunk(log.share, hash, bytes)).toMatchObject({ type: 'ok', hash });
    expect(await c.putChunk(log.share, hash, bytes)).toMatchObject({ type: 'ok', hash });
    expect(await c.request({ type: 'chunk.has', share: log.share, hashes: [hash, b64(32)] })).toMatchObject({ has: [true, false] });
    const got = await c.request({ type: 'chunk.get', share: log.share, hash });
    expect(got.header).toMatchObject({ type: 'chunk', hash });
    expect(Buffer.from(got.binary).equals(bytes)).toBe(true);
    expect(await c.request({ type: 'chunk.get', share: log.share, hash: b64(32) })).toMatchObject({ code: 'NOT_FOUND' });
    const outcomes: string[] = [];
    for (let i = 0; i < 14; i++) {
      const b = randomBytes(60_000);
      const a = await c.putChunk(log.share, sha256(b), b);
      outcomes.push(a.type === 'ok' ? 'ok' : a.code);
    }
    expect(outcomes.filter((o) => o === 'ok').length).toBe(9); // 50k + 9 × 60k ≤ 600k < 50k + 10 × 60k
    expect(outcomes.at(-1)).toBe('QUOTA_EXCEEDED');
    c.close();
  });

  it('delete: a tombstone removes every version and its chunks from the SQLite files at once', async () => {
    const { c, owner } = await createTeam(r.url);
    const log = await createShare(c, owner);
    const me = { kind: 'account' as const, id: owner.account };
    const chunk = Buffer.concat([Buffer.from('CHUNK-CANARY-'), randomBytes(40_000)]);
    const hash = sha256(chunk);
    expect((await c.putChunk(log.share, hash, chunk)).type).toBe('ok');
    const body1 = 'BODYCANARY1' + b64(1500);
    const body2 = 'BODYCANARY2' + b64(1500);
    const item = newId();
    expect(await c.request({ type: "push", share: log.share, records: [record(me, { item, kind: "file", body: body1, chunks: [hash] })] })).toMatchObject({ type: "ok" });
    await c.request({ type: 'push', share: log.share, records: [record(me, { item, kind: 'file', version: 2, baseVersion: 1, body: body2, chunks: [hash] })] });
    let raw = await backend.storedBytes(r.dir);
    expect(raw.includes(Buffer.from(body1))).toBe(true);
    // the blob spans overflow pages: look for 200-byte windows of it
    const windows = Array.from({ length: 8 }, (_, i) => chunk.subarray(i * 5000 + 1000, i * 5000 + 1200));
    expect(windows.filter((w) => raw.includes(w)).length).toBeGreaterThanOrEqual(6);
    const del = await c.request({ type: 'push', share: log.share, records: [record(me, { item, kind: 'tombstone', version: 3, baseVersion: 2, body: '' })] });
    expect(del).toMatchObject({ type: 'ok' });
    raw = await backend.storedBytes(r.dir);
    expect(raw.includes(Buffer.from(body1))).toBe(false);
    expect(raw.includes(Buffer.from(body2))).toBe(false);
    expect(windows.filter((w) => raw.includes(w)).length).toBe(0);
    expect(await c.request({ type: 'chunk.has', share: log.share, hashes: [hash] })).toMatchObject({ has: [false] });
    const pulled = await c.request({ type: 'pull', share: log.share, since: 0 });
    expect(pulled.records).toEqual([expect.objectContaining({ item, kind: 'tombstone', version: 3, body: '' })]);
    expect(await c.request({ type: 'history', share: log.share, item })).toMatchObject({ records: [] });
    c.close();
  });
});

/**
 * keys.drop (after "re-encrypt now"): old wrapped keys (of members and codes), older record
 * versions under an old epoch and the chunks only they referenced leave the relay's storage —
 * bytes scanned in the SQLite file + WAL, or in PostgreSQL — in one transaction. Refused while
 * an item is still current under an old epoch, for the current epoch, for an editor or a
 * guest code, and for an unknown share.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { b64, newId } from './helpers/client.js';
import { addCode, addTeamMember, append, connectCode, connectDevice, createShare, createTeam, newMember, randomBytes, record, sha256 } from './helpers/fixtures.js';
import { backends, startInProcess } from './helpers/relay-harness.js';

describe.each(backends)('keys.drop ($name)', (backend) => {
  let r: Awaited<ReturnType<typeof startInProcess>>;
  beforeAll(async () => { r = await startInProcess(backend, { limits: { retention: 20 } }); });
  afterAll(async () => { await r.stop(); });

  it('drops old wraps, old versions and their chunks; keeps current items, tombstones, shared chunks and new-epoch history', async () => {
    const { c, owner } = await createTeam(r.url);
    const log = await createShare(c, owner);
    const me = { kind: 'account' as const, id: owner.account };
    const oldCodeWrap = 'OLDCODEWRAP' + b64(60);
    const code = newId();
    expect(await append(c, log, owner, { t: 'code.create', code, verifierPk: newMember().sign.pk, readOnly: false, expiresAt: null, labelEnc: b64(30) }, [{ epoch: 0, to: { kind: 'code', id: code }, wrapped: oldCodeWrap }])).toMatchObject({ type: 'ok' });
    // epoch 0: a file (v1: chunk A + a chunk the new version keeps), a note, a deleted note
    const chunkA = Buffer.concat([Buffer.from('OLD-CHUNK-'), randomBytes(30_000)]);
    const chunkB = Buffer.concat([Buffer.from('NEW-CHUNK-'), randomBytes(30_000)]);
    const kept = Buffer.concat([Buffer.from('KEPT-CHUNK-'), randomBytes(30_000)]);
    for (const ch of [chunkA, chunkB, kept]) expect((await c.putChunk(log.share, sha256(ch), ch)).type).toBe('ok');
    const [file, note, gone] = [newId(), newId(), newId()];
    const oldFileBody = 'OLDFILEBODY' + b64(900);
    const oldNoteBody = 'OLDNOTEBODY' + b64(900);
    const push = async (rec: ReturnType<typeof record>) => expect((await c.request({ type: 'push', share: log.share, records: [rec] })).type).toBe('ok');
    await push(record(me, { item: file, kind: 'file', body: oldFileBody, chunks: [sha256(chunkA), sha256(kept)] }));
    await push(record(me, { item: note, body: oldNoteBody }));
    await push(record(me, { item: gone }));
    await push(record(me, { item: gone, kind: 'tombstone', version: 2, baseVersion: 1, body: '' }));
    // rotate to epoch 1
    expect(await append(c, log, owner, { t: 'epoch', ...log.nextEpoch() }, [{ epoch: 1, to: { kind: 'account', id: owner.account }, wrapped: 'NEWWRAP' + b64(60) }])).toMatchObject({ type: 'ok' });
    // refused while the file and the note are still current under epoch 0; nothing removed
    expect(await c.request({ type: 'keys.drop', share: log.share, below: 1 })).toMatchObject({ type: 'error', code: 'EPOCH_IN_USE', message: expect.stringContaining('2 item(s)') });
    expect((await c.request({ type: 'keys.get', share: log.share })).wraps.map((w: { epoch: number }) => w.epoch)).toEqual([0, 1]);
    // re-encrypted under epoch 1
    await push(record(me, { item: file, kind: 'file', version: 2, baseVersion: 1, epoch: 1, body: 'NEWFILEBODY' + b64(900), chunks: [sha256(chunkB), sha256(kept)] }));
    await push(record(me, { item: note, version: 2, baseVersion: 1, epoch: 1, body: 'NEWNOTEBODY' + b64(900) }));
    await push(record(me, { item: note, version: 3, baseVersion: 2, epoch: 1, body: 'NEWNOTEV3' + b64(900) }));
    // the current epoch's key cannot be dropped
    expect(await c.request({ type: 'keys.drop', share: log.share, below: 2 })).toMatchObject({ type: 'error', code: 'BAD_FIELD' });
    let raw = await backend.storedBytes(r.dir);
    for (const s of [oldFileBody, oldNoteBody, oldCodeWrap]) expect(raw.includes(Buffer.from(s)), s.slice(0, 11)).toBe(true);
    expect(raw.includes(chunkA.subarray(1000, 1200))).toBe(true);

    const out = await c.request({ type: 'keys.drop', share: log.share, below: 1 });
    expect(out).toMatchObject({ type: 'ok', wraps: 2, versions: 2, bytes: chunkA.length });
    raw = await backend.storedBytes(r.dir);
    for (const s of [oldFileBody, oldNoteBody, oldCodeWrap]) expect(raw.includes(Buffer.from(s)), s.slice(0, 11)).toBe(false);
    expect(raw.includes(chunkA.subarray(1000, 1200))).toBe(false);
    expect(raw.includes(chunkB.subarray(1000, 1200))).toBe(true);
    expect(raw.includes(kept.subarray(1000, 1200))).toBe(true);
    expect(await c.request({ type: 'chunk.has', share: log.share, hashes: [sha256(chunkA), sha256(chunkB), sha256(kept)] })).toMatchObject({ has: [false, true, true] });
    // only epoch-1 wraps remain; the note keeps its epoch-1 history; the tombstone stays
    expect((await c.request({ type: 'keys.get', share: log.share })).wraps.map((w: { epoch: number }) => w.epoch)).toEqual([1]);
    expect((await c.request({ type: 'history', share: log.share, item: note })).records.map((x: { version: number }) => x.version)).toEqual([2]);
    expect((await c.request({ type: 'history', share: log.share, item: file })).records).toEqual([]);
    const pulled = await c.request({ type: 'pull', share: log.share, since: 0 });
    expect(pulled.records.map((x: { item: string; version: number; kind: string }) => `${x.item}:${x.version}:${x.kind}`).sort()).toEqual([`${file}:2:file`, `${gone}:2:tombstone`, `${note}:3:note`].sort());
    const got = await c.request({ type: 'chunk.get', share: log.share, hash: sha256(chunkB) });
    expect(Buffer.from(got.binary).equals(chunkB)).toBe(true);
    // a second drop removes nothing
    expect(await c.request({ type: 'keys.drop', share: log.share, below: 1 })).toMatchObject({ type: 'ok', wraps: 0, versions: 0, bytes: 0 });
    c.close();
  });

  it('only an owner or admin may drop; not an editor, not a guest code; unknown share → NOT_FOUND; below 0 → BAD_FIELD', async () => {
    const t = await createTeam(r.url);
    const { c, team, owner } = t;
    const log = await createShare(c, owner);
    const inv = await addCode(c, log, owner);
    const g = await connectCode(r.url, team, inv.code, inv.verifier);
    expect(await g.c.request({ type: 'keys.drop', share: log.share, below: 1 })).toMatchObject({ type: 'error', code: 'NOT_ALLOWED' });
    const b = (await addTeamMember(r.url, t)).m;
    expect(await append(c, log, owner, { t: 'add', account: b.account, boxPk: b.boxPk, signPk: b.sign.pk, role: 'editor' })).toMatchObject({ type: 'ok' });
    expect(await append(c, log, owner, { t: 'epoch', ...log.nextEpoch() })).toMatchObject({ type: 'ok' });
    const bs = await connectDevice(r.url, team, b);
    expect(await bs.c.request({ type: 'keys.drop', share: log.share, below: 1 })).toMatchObject({ type: 'error', code: 'NOT_ALLOWED' });
    expect(await c.request({ type: 'keys.drop', share: newId(), below: 1 })).toMatchObject({ type: 'error', code: 'NOT_FOUND' });
    expect(await c.request({ type: 'keys.drop', share: log.share, below: 0 })).toMatchObject({ type: 'error', code: 'BAD_FIELD' });
    expect(await c.request({ type: 'keys.drop', share: log.share, below: 1 })).toMatchObject({ type: 'ok', wraps: 1 });
    for (const x of [bs.c, g.c, c]) x.close();
  });
});

/**
 * kill -9 of one of two instances in the middle of a stream of pushes: the client reconnects to
 * the other instance, finds every acknowledged record there with its acknowledged seq, retries
 * the unacknowledged ones (idempotent), and the share's sequence stays gap-free.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDevice, createShare, createTeam, record } from '../relay/helpers/fixtures.js';
import { startProcess, tempDir, type RelayProcess } from '../relay/helpers/relay-harness.js';
import { createDatabase } from './helpers/pg-db.js';

const N = 300;

describe('relay instance killed mid-push (PostgreSQL)', () => {
  let db: Awaited<ReturnType<typeof createDatabase>>;
  let a: RelayProcess;
  let b: RelayProcess;
  beforeAll(async () => {
    db = await createDatabase();
    [a, b] = await Promise.all([startProcess(tempDir('pg-a'), ['--db', db.url]), startProcess(tempDir('pg-b'), ['--db', db.url])]);
  });
  afterAll(async () => {
    await b?.stop();
    await db?.drop();
  });

  it('nothing acknowledged is lost; clients carry on through the other instance', async () => {
    const { c, team, owner } = await createTeam(a.url);
    const log = await createShare(c, owner);
    const me = { kind: 'account' as const, id: owner.account };
    const watcher = await connectDevice(b.url, team, owner); // a reader on B all along
    const recs = Array.from({ length: N }, () => record(me));
    const acked = new Map<string, number>();
    // pipeline every push; kill A once a third are acknowledged, while the rest are in flight
    let killing: Promise<void> | null = null;
    const answers = recs.map((r) => c.request({ type: 'push', share: log.share, records: [r] }).then((m) => {
      if (m.type === 'ok') acked.set(r.item, m.seqs[0]);
      if (acked.size === N / 3 && !killing) killing = a.kill9();
    }));
    const closed = await c.closed;
    await killing;
    void answers;
    expect(closed.code).toBe(1006); // abnormal close: the process died
    expect(acked.size).toBeGreaterThanOrEqual(N / 3);
    expect(acked.size).toBeLessThan(N);
    // the watcher on B kept its session and heard of the pushes made through A
    expect(await watcher.c.next((m) => m.type === 'changed')).toMatchObject({ share: log.share });

    // reconnect to B: every acknowledged record is there with the seq it was acknowledged with
    const re = await connectDevice(b.url, team, owner);
    expect(re.first).toMatchObject({ type: 'welcome' });
    const pullAll = async () => {
      const out: any[] = [];
      for (let since = 0; ;) {
        const p = await re.c.request({ type: 'pull', share: log.share, since, limit: 1000 });
        out.push(...p.records);
        if (!p.more) return { records: out, head: p.head as number };
        since = p.records.at(-1).seq;
      }
    };
    const before = await pullAll();
    const bySeq = new Map(before.records.map((x) => [x.item, x.seq]));
    for (const [item, seq] of acked) expect(bySeq.get(item)).toBe(seq);
    // retry everything not acknowledged (some may have committed without their ack reaching us)
    const rest = recs.filter((r) => !acked.has(r.item));
    const retry = await re.c.request({ type: 'push', share: log.share, records: rest });
    expect(retry).toMatchObject({ type: 'ok' });
    rest.forEach((r, i) => {
      const committed = bySeq.get(r.item);
      if (committed !== undefined) expect(retry.seqs[i]).toBe(committed); // idempotent: same seq again
    });
    const after = await pullAll();
    expect(after.records.length).toBe(N);
    expect(after.head).toBe(N);
    expect(after.records.map((x) => x.seq)).toEqual(Array.from({ length: N }, (_, i) => i + 1)); // gap-free
    for (const x of after.records) expect(x).toEqual({ ...recs.find((r) => r.item === x.item), seq: x.seq });
    re.c.close();
    watcher.c.close();
  });
});

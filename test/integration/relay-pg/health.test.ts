/** /healthz on PostgreSQL: ok while the database answers; 503 naming no host or credential when it does not. */
import { afterAll, describe, expect, it } from 'vitest';
import { createPgFanout } from '../../../sync-server/fanout/pg-fanout.js';
import { createRelay } from '../../../sync-server/relay.js';
import { openPgStorage } from '../../../sync-server/storage/postgres/index.js';
import { createDatabase } from './helpers/pg-db.js';

describe('/healthz reports the database (PostgreSQL)', () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterAll(async () => { for (const f of cleanup.reverse()) await f().catch(() => undefined); });

  it('ok, then failing once the database is gone', async () => {
    const db = await createDatabase();
    cleanup.push(db.drop);
    const u = new URL(db.url);
    u.password = 'pw-SECRET-canary'; // trust auth ignores it; it must never show
    const storage = await openPgStorage({ url: u.toString(), poolSize: 2 });
    const fanout = createPgFanout({ url: u.toString(), pool: storage.pool });
    const relay = await createRelay({ storage, fanout, port: 0 });
    cleanup.push(() => storage.close(), () => fanout.close(), () => relay.close());
    const health = async () => {
      const r = await fetch(relay.url.replace('ws', 'http') + '/healthz');
      return [r.status, await r.text()] as const;
    };
    expect(await health()).toEqual([200, 'ok\n']);
    await db.drop(); // terminates every connection, listener included
    const [status, body] = await health();
    expect(status).toBe(503);
    expect(body).toMatch(/^failing: (database|fan-out listener)\n$/);
    for (const secret of ['pw-SECRET-canary', 'postgres', '127.0.0.1', db.name]) expect(body).not.toContain(secret);
  });
});

/**
 * codes.last_used_day on storage made before it: a SQLite team file and a PostgreSQL team
 * schema whose codes table lacks the column get it when the team is next opened; the live code
 * keeps working and starts at "never used", then records its day.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createRelay } from '../../../sync-server/relay.js';
import { openPgStorage } from '../../../sync-server/storage/postgres/index.js';
import { teamSchema } from '../../../sync-server/storage/postgres/ddl.js';
import { createSqliteStorage, teamFileName } from '../../../sync-server/storage/sqlite/index.js';
import type { RelayStorage } from '../../../sync-server/storage/types.js';
import { createDatabase, withClient } from '../relay-pg/helpers/pg-db.js';
import { addCode, connectCode, connectDevice, createShare, createTeam } from './helpers/fixtures.js';
import { tempDir } from './helpers/relay-harness.js';

const NOW = Date.parse('2026-06-01T12:00:00Z');
const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => { for (const f of cleanup.reverse()) await f(); });

async function serve(storage: RelayStorage) {
  const relay = await createRelay({ storage, log: pino({ level: 'silent' }), port: 0, openEnrollment: true, clock: { now: () => NOW } });
  return { url: relay.url, stop: async () => { await relay.close(); await storage.close(); } };
}

const layouts: { name: string; open(): Promise<RelayStorage>; dropColumn(team: string): Promise<void> }[] = [
  (() => {
    const dir = tempDir('code-layout');
    return {
      name: 'sqlite',
      open: async () => createSqliteStorage({ dir }),
      dropColumn: async (team: string) => {
        const f = new Database(join(dir, teamFileName(team)));
        f.exec('ALTER TABLE codes DROP COLUMN last_used_day');
        f.close();
      },
    };
  })(),
  (() => {
    let url = '';
    return {
      name: 'postgres',
      open: async () => {
        if (!url) {
          const db = await createDatabase();
          cleanup.push(db.drop);
          url = db.url;
        }
        return openPgStorage({ url, poolSize: 2 });
      },
      dropColumn: (team: string) => withClient(url, async (c) => void (await c.query(`ALTER TABLE "${teamSchema(team)}".codes DROP COLUMN last_used_day`))),
    };
  })(),
];

describe.each(layouts)('codes.last_used_day on an older layout ($name)', (layout) => {
  it('is added on open; the code still authenticates, starts at never and records its day', async () => {
    let r = await serve(await layout.open());
    const { c, team, owner } = await createTeam(r.url);
    const log = await createShare(c, owner);
    const code = await addCode(c, log, owner);
    c.close();
    await r.stop();
    await layout.dropColumn(team);

    r = await serve(await layout.open());
    cleanup.push(r.stop);
    const o = await connectDevice(r.url, team, owner);
    expect(await o.c.request({ type: 'code.usage', share: log.share })).toMatchObject({ type: 'ok', codes: [{ code: code.code, lastUsedDay: null, openSessions: 0 }] });
    const g = await connectCode(r.url, team, code.code, code.verifier);
    expect(g.first.type).toBe('welcome');
    expect(await o.c.request({ type: 'code.usage', share: log.share })).toMatchObject({ type: 'ok', codes: [{ code: code.code, lastUsedDay: '2026-06-01', openSessions: 1 }] });
    g.c.close();
    o.c.close();
  });
});

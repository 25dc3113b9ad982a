/** The PostgreSQL entry of the relay suite's backend list: a fresh database per relay directory. */
import { openPgStorage } from '../../../../sync-server/storage/postgres/index.js';
import type { RelayStorage } from '../../../../sync-server/storage/types.js';
import { allRowBytes, createDatabase, dbNameFor, dropDatabase, urlOf, withClient } from './pg-db.js';

export const pgBackend = {
  name: 'postgres',
  async make(dir: string): Promise<RelayStorage> {
    const db = await createDatabase(dbNameFor(dir));
    return openPgStorage({ url: db.url, poolSize: 4 });
  },
  storedBytes: (dir: string) => allRowBytes(urlOf(dbNameFor(dir))),
  authFailureRows: (dir: string) => withClient(urlOf(dbNameFor(dir)), async (c) => Number((await c.query('SELECT count(*) AS n FROM truhe.auth_failures')).rows[0].n)),
  drop: (dir: string) => dropDatabase(dbNameFor(dir)),
};

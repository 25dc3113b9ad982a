/** The backend factory behind `serve`: `--db postgres://…` selects PostgreSQL (+ LISTEN/NOTIFY fan-out), else SQLite files in `--data`. */
import type { Fanout } from '../../fanout/events.js';
import { createPgFanout } from '../../fanout/pg-fanout.js';
import { openPgStorage } from './index.js';
import { createSqliteStorage } from '../sqlite/index.js';
import type { RelayStorage } from '../types.js';

export async function openBackend(o: { data: string; db?: string | undefined; poolSize?: number | undefined }): Promise<{ storage: RelayStorage; fanout?: Fanout }> {
  if (!o.db) return { storage: createSqliteStorage({ dir: o.data }) };
  if (!/^postgres(ql)?:\/\//.test(o.db)) throw new RangeError('--db must be a postgres:// URL');
  const storage = await openPgStorage({ url: o.db, ...(o.poolSize ? { poolSize: o.poolSize } : {}) });
  return { storage, fanout: createPgFanout({ url: o.db, pool: storage.pool }) };
}

/**
 * The pg Pool and transactions. Integers (BIGINT) come back as JS numbers through a type parser
 * owned by this pool (not pg's process-wide default). Transactions run at READ COMMITTED and
 * serialise where it matters with row locks (SELECT … FOR UPDATE on the share or usage row);
 * a deadlock or serialization failure is retried a few times.
 */
import pg from 'pg';

export type Sql = pg.PoolClient | pg.Pool;

const INT8 = 20;
const NUMERIC = 1700;
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8 || oid === NUMERIC) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

export interface PoolOptions {
  /** postgres://user@host:port/db — never logged (it may carry a password). */
  url: string;
  /** Connections in the pool (default 10). */
  poolSize?: number;
}

export function createPool(opts: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.poolSize ?? 10,
    types: types as never,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its connection must not crash the relay; the pool drops it.
  pool.on('error', () => undefined);
  return pool;
}

const RETRYABLE = new Set(['40001', '40P01']);

/** Runs fn in a transaction; commits on return, rolls back on throw. */
export async function withTx<T>(pool: pg.Pool, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const c = await pool.connect();
    let broken: unknown;
    try {
      await c.query('BEGIN');
      const out = await fn(c);
      await c.query('COMMIT');
      return out;
    } catch (e) {
      await c.query('ROLLBACK').catch((err: unknown) => { broken = err; });
      if (attempt < 4 && RETRYABLE.has((e as { code?: string }).code ?? '')) continue;
      throw e;
    } finally {
      c.release(broken as Error | undefined);
    }
  }
}

/** SQLSTATE of a pg error (unique_violation = 23505). */
export const sqlState = (e: unknown): string | undefined => (e as { code?: string } | null)?.code;

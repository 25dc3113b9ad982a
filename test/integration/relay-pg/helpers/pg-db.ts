/**
 * Throwaway PostgreSQL databases for tests: one database per relay (or per test), dropped
 * afterwards. Admin URL from TRUHE_TEST_PG (default postgres://postgres@127.0.0.1:5432/test).
 */
import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';

export const ADMIN_URL = process.env.TRUHE_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

export function urlOf(db: string): string {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${db}`;
  return u.toString();
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Name of the test database that belongs to a temp dir (so a Backend can find it again). */
export const dbNameFor = (dir: string) => `truhe_t_${createHash('sha256').update(dir).digest('hex').slice(0, 16)}`;

export async function createDatabase(name = `truhe_t_${randomBytes(8).toString('hex')}`): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  if (!/^truhe_t_[0-9a-f]+$/.test(name)) throw new RangeError('createDatabase: bad name');
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  return { name, url: urlOf(name), drop: () => dropDatabase(name) };
}

export async function dropDatabase(name: string): Promise<void> {
  if (!/^truhe_t_[0-9a-f]+$/.test(name)) throw new RangeError('dropDatabase: bad name');
  await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

/** Runs fn with a client on `url`. */
export async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Every value of every row in the relay's schemas: bytea raw, the rest as text (for "is it gone?" checks). */
export async function allRowBytes(url: string): Promise<Buffer> {
  return withClient(url, async (c) => {
    const tables = (await c.query<{ s: string; t: string }>("SELECT table_schema AS s, table_name AS t FROM information_schema.tables WHERE table_schema LIKE 'truhe%' AND table_type = 'BASE TABLE'")).rows;
    const parts: Buffer[] = [];
    for (const { s, t } of tables) {
      for (const row of (await c.query<Record<string, unknown>>(`SELECT * FROM "${s}"."${t}"`)).rows) {
        for (const v of Object.values(row)) parts.push(Buffer.isBuffer(v) ? v : Buffer.from(String(v)));
      }
    }
    return Buffer.concat(parts);
  });
}

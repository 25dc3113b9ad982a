/**
 * Storage failures a client can be told about: a team whose database is damaged or cannot be
 * opened (STORAGE_UNAVAILABLE: that team only), and a full disk (STORAGE_FULL: nothing was
 * stored, retry later). Backends turn their driver errors into a StorageFault; the relay answers
 * it with its code instead of INTERNAL.
 */
export type StorageFaultCode = 'STORAGE_UNAVAILABLE' | 'STORAGE_FULL';

export class StorageFault extends Error {
  override readonly name = 'StorageFault';
  constructor(readonly code: StorageFaultCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** SQLite result codes (better-sqlite3 `SqliteError.code`) that mean the file is damaged. */
const SQLITE_DAMAGED = /^SQLITE_(CORRUPT|NOTADB)/;
/** ENOSPC surfaces as SQLITE_FULL; an fsync or write failing on a full disk may be an IOERR. */
const SQLITE_FULL = /^SQLITE_FULL/;
/** PostgreSQL SQLSTATEs: 53100 disk_full, 53000 insufficient_resources (class 53). */
const PG_FULL = new Set(['53100', '53000']);
/** PostgreSQL SQLSTATEs of damage: XX001 data_corrupted, XX002 index_corrupted. */
const PG_DAMAGED = new Set(['XX001', 'XX002']);

/** The StorageFault a driver error stands for, or null for other errors. */
export function classifyStorageError(e: unknown): StorageFault | null {
  if (e instanceof StorageFault) return e;
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  if (SQLITE_FULL.test(code) || PG_FULL.has(code) || code === 'ENOSPC') return new StorageFault('STORAGE_FULL', 'storage: disk full', { cause: e });
  if (SQLITE_DAMAGED.test(code) || PG_DAMAGED.has(code)) return new StorageFault('STORAGE_UNAVAILABLE', 'storage: team database damaged', { cause: e });
  return null;
}

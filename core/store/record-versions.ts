/** Version placement shared by store adapters: which row becomes head, which goes to history. */
import type { StoredRecord } from './vault-store.js';

export type Placement =
  | { head: StoredRecord; toHistory: StoredRecord | null }
  | { head: null; toHistory: StoredRecord };

/** Decide where `incoming` goes given the current head. */
export function placeRecord(current: StoredRecord | undefined, incoming: StoredRecord): Placement {
  if (!current || incoming.envelope.version === current.envelope.version) return { head: incoming, toHistory: null };
  if (incoming.envelope.version > current.envelope.version) return { head: incoming, toHistory: current };
  return { head: null, toHistory: incoming };
}

/** The local head is exactly `expect` (null: there is none): same version and signature. */
export function sameHead(cur: { version: number; sig: string } | undefined, expect: { version: number; sig: string } | null): boolean {
  return expect === null ? cur === undefined : cur !== undefined && cur.version === expect.version && cur.sig === expect.sig;
}

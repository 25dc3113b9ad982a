/** Every known version of an item: the local head and history, plus the relay's when online. */
import type { ItemId, ShareId } from '../ids.js';
import type { RecordEnvelope } from '../model/item.js';
import type { VaultStore } from '../store/vault-store.js';
import type { Connection } from '../sync/connection.js';
import { fetchHistory } from '../sync/relay-api.js';

/** What the lookup needs of a Session (kept narrow so files.ts and items.ts share it without a cycle). */
export interface VersionSource {
  store: Pick<VaultStore, 'history' | 'getRecord'>;
  conn: Connection;
  /** Throws unless the envelope's author could write to the share at its epoch. */
  verifyEnvelope(share: ShareId, env: RecordEnvelope): Promise<unknown>;
}

/** Every known version (relay's when online, else local; tombstones left out), newest first. */
export async function allVersions(s: VersionSource, share: ShareId, item: ItemId): Promise<RecordEnvelope[]> {
  const byVersion = new Map<number, RecordEnvelope>();
  for (const r of await s.store.history(share, item)) byVersion.set(r.envelope.version, r.envelope);
  const head = await s.store.getRecord(share, item);
  if (head) byVersion.set(head.envelope.version, head.envelope);
  if (s.conn.state === 'online') {
    for (const r of await fetchHistory(s.conn, share, item).catch(() => [])) {
      if (byVersion.has(r.envelope.version)) continue;
      try {
        await s.verifyEnvelope(share, r.envelope);
        byVersion.set(r.envelope.version, r.envelope);
      } catch { /* an unverifiable version is not offered */ }
    }
  }
  return [...byVersion.values()].filter((e) => e.kind !== 'tombstone').sort((a, b) => b.version - a.version);
}

/** One version: the head when it is that version (or `version` is undefined), else from allVersions. */
export async function versionOf(s: VersionSource, share: ShareId, item: ItemId, version?: number): Promise<RecordEnvelope | undefined> {
  const head = (await s.store.getRecord(share, item))?.envelope;
  if (version === undefined || head?.version === version) return head;
  return (await allVersions(s, share, item)).find((e) => e.version === version);
}

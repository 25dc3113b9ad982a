/** The stored shape of a share record, as both backends keep it in their `records` table. */
import type { StoredRecord } from '../../protocol/index.js';

export interface RecordRow {
  item: string; version: number; seq: number; base_version: number; kind: string; epoch: number;
  author_kind: string; author_id: string; body: string; chunks: string; sig: string;
}

/** A `records` row → the wire form served by `pull` and `history`. */
export function toStored(r: RecordRow): StoredRecord {
  return {
    item: r.item as StoredRecord['item'], version: r.version, baseVersion: r.base_version, kind: r.kind as StoredRecord['kind'],
    epoch: r.epoch, author: { kind: r.author_kind as 'account' | 'code', id: r.author_id as StoredRecord['author']['id'] },
    body: r.body, chunks: JSON.parse(r.chunks) as string[], sig: r.sig, seq: r.seq,
  };
}

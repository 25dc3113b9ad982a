/**
 * Notes: JSON `{title, body, tags, updatedAt, conflictOf?}` sealed by item.ts. `NoteContent`
 * is plaintext (memory only); the store accepts only the `RecordEnvelope` produced here.
 */
import { z } from 'zod';
import { canonicalBytes } from '../canonical.js';
import { fromUtf8 } from '../encoding.js';
import { VaultError } from '../errors.js';
import { wipe } from '../crypto/wipe.js';
import { openRecord, sealRecord, type OpenContext, type OpenedMeta, type RecordEnvelope, type SealContext } from './item.js';

export const noteContentSchema = z.object({
  title: z.string().max(4096),
  body: z.string().max(16 * 1024 * 1024),
  tags: z.array(z.string().max(256)).max(256),
  /** ms since epoch, set by the writer; signed and encrypted with the note. */
  updatedAt: z.number().int().nonnegative(),
  /** Set on a conflicted copy: the item it was split from. */
  conflictOf: z.string().optional(),
});
export type NoteContent = z.infer<typeof noteContentSchema>;

export interface OpenedNote extends OpenedMeta {
  note: NoteContent;
}

/** Encrypt and sign a note version. Throws BAD_FORMAT for invalid content or context. */
export function sealNote(c: SealContext, note: NoteContent): RecordEnvelope {
  const parsed = noteContentSchema.safeParse(note);
  if (!parsed.success) throw new VaultError('BAD_FORMAT', `sealNote: invalid note (${parsed.error.issues[0]?.message ?? ''})`);
  return sealRecord(c, 'note', canonicalBytes(parsed.data), []);
}

/**
 * Verify (signature first) and decrypt a note. Throws UNKNOWN_AUTHOR, BAD_SIGNATURE, WRONG_KEY,
 * TAMPERED, BAD_FORMAT.
 */
export async function openNote(c: OpenContext, env: RecordEnvelope): Promise<OpenedNote> {
  if (env.chunks.length !== 0) throw new VaultError('BAD_FORMAT', 'openNote: a note has no chunks');
  const { meta, payload, itemKey } = await openRecord(c, env, 'note');
  wipe(itemKey);
  let json: unknown;
  try {
    json = JSON.parse(fromUtf8(payload));
  } catch (e) {
    throw new VaultError('BAD_FORMAT', 'openNote: payload is not JSON', { cause: e });
  }
  const parsed = noteContentSchema.safeParse(json);
  if (!parsed.success) throw new VaultError('BAD_FORMAT', 'openNote: payload is not a note');
  return { ...meta, note: parsed.data };
}

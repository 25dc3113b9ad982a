/**
 * The record envelope exchanged with the relay (protocol/README.md, `push`/`pull`) and its
 * signature. Encrypted form only: `body` is base64url ciphertext.
 */
import { z } from 'zod';
import type { Brand } from '../brand.js';
import { canonicalBytes } from '../canonical.js';
import { fromB64url, toB64url } from '../encoding.js';
import { VaultError } from '../errors.js';
import { isId, type ItemId, type ShareId, type TeamId } from '../ids.js';
import { signDetached, verifyDetached } from '../crypto/sign.js';
import type { SignPublicKey, SignSecretKey } from '../crypto/key-types.js';

export type ItemKind = 'note' | 'file' | 'tombstone';
export interface Author {
  kind: 'account' | 'code';
  id: string;
}
/** base64url of ciphertext; only produced by seal functions in core/model. */
export type B64Ciphertext = Brand<string, 'B64Ciphertext'>;

export interface RecordEnvelope {
  item: ItemId;
  version: number;
  baseVersion: number;
  kind: ItemKind;
  epoch: number;
  author: Author;
  body: B64Ciphertext;
  /** SHA-256 (base64url) of each chunk ciphertext, in order; [] for notes and tombstones. */
  chunks: string[];
  /** Ed25519 signature (base64url) by the author over RECORD_SIG_DOMAIN ‖ canonical bytes. */
  sig: string;
}

export interface RecordContext {
  team: TeamId;
  share: ShareId;
}

/** Looks up the author's Ed25519 public key in the verified member list; throws UNKNOWN_AUTHOR. */
export type ResolveAuthorKey = (author: Author) => SignPublicKey | Promise<SignPublicKey>;

export const RECORD_SIG_DOMAIN = 'truhe/record/v1';

const b64 = z.string().regex(/^[A-Za-z0-9_-]*$/);
const id = z.string().refine(isId, 'not an id');
/** zod schema of an envelope as received from the relay. */
export const recordEnvelopeSchema = z.object({
  item: id,
  version: z.number().int().min(1),
  baseVersion: z.number().int().min(0),
  kind: z.enum(['note', 'file', 'tombstone']),
  epoch: z.number().int().min(0),
  author: z.object({ kind: z.enum(['account', 'code']), id }),
  body: b64,
  chunks: z.array(b64.length(43)).max(1 << 20),
  sig: b64.length(86),
});

/** Parse untrusted input into an envelope. Throws VaultError('BAD_FORMAT'). */
export function parseRecordEnvelope(input: unknown): RecordEnvelope {
  const r = recordEnvelopeSchema.safeParse(input);
  if (!r.success) throw new VaultError('BAD_FORMAT', `parseRecordEnvelope: ${r.error.issues[0]?.path.join('.') ?? ''} ${r.error.issues[0]?.message ?? ''}`);
  return r.data as RecordEnvelope;
}

function signedBytes(ctx: RecordContext, env: Omit<RecordEnvelope, 'sig'>): Uint8Array {
  const { item, version, baseVersion, kind, epoch, author, body, chunks } = env;
  return canonicalBytes({ team: ctx.team, share: ctx.share, item, version, baseVersion, kind, epoch, author: { kind: author.kind, id: author.id }, body, chunks });
}

/** Sign an unsigned envelope (binding team and share, which the envelope does not carry). */
export function signRecord(ctx: RecordContext, env: Omit<RecordEnvelope, 'sig'>, sk: SignSecretKey): RecordEnvelope {
  return { ...env, sig: toB64url(signDetached(sk, RECORD_SIG_DOMAIN, signedBytes(ctx, env))) };
}

/**
 * Verify an envelope's signature against its author's key. Throws UNKNOWN_AUTHOR (from the
 * resolver), BAD_SIGNATURE, BAD_FORMAT. Returns the author's key.
 */
export async function verifyRecord(ctx: RecordContext, env: RecordEnvelope, resolveAuthorKey: ResolveAuthorKey): Promise<SignPublicKey> {
  const pk = await resolveAuthorKey(env.author);
  const { sig, ...unsigned } = env;
  verifyDetached(pk, RECORD_SIG_DOMAIN, signedBytes(ctx, unsigned), fromB64url(sig));
  return pk;
}

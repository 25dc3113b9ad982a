/** Authors and members as data (PersonRef): ids, roster names and flags, never display words. */
import type { PersonRef } from '../vault-api.js';

/** What naming a person needs from a session: whose session it is, and the verified roster's names. */
export interface PersonSource {
  readonly keys: { readonly account: string };
  readonly roster: { cachedName(account: string): string };
}

/** A record author or log signer as the UI's PersonRef; `name` from the verified roster ('' if unknown). */
export function personRef(s: PersonSource, author: { kind: 'account' | 'code'; id: string }): PersonRef {
  const isMe = author.id === s.keys.account; // a guest session's "account" is its code id
  return { kind: author.kind, id: author.id, name: author.kind === 'account' ? s.roster.cachedName(author.id) : '', isMe };
}

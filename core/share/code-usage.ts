/**
 * How the guests use a share's access codes, as the relay saw it (owner/admin only): per live
 * code the UTC day it last opened a session and how many sessions it has open now. The relay
 * learns nothing new for this — it already sees code sessions; it keeps one day per code.
 * A rotated or revoked code is absent from the answer (the relay deleted it).
 */
import { Results } from '../../protocol/index.js';
import { VaultError } from '../errors.js';
import { parseShareId } from '../ids.js';
import type { AccessCodeUsage } from '../vault-api.js';
import type { Session } from '../vault/session.js';

/** Throws NOT_ALLOWED (not owner/admin), NOT_FOUND, RELAY_UNREACHABLE, BAD_FORMAT (answer off-schema). */
export async function accessCodeUsage(s: Session, shareIn: string): Promise<AccessCodeUsage[]> {
  const share = parseShareId(shareIn);
  const ans = Results['code.usage'].safeParse(await s.conn.request({ type: 'code.usage', share }));
  if (!ans.success) throw new VaultError('BAD_FORMAT', 'accessCodeUsage: the relay answered off-schema', { cause: ans.error });
  // lastUsed: start of that UTC day in ms (the relay keeps days only, like a device's last-seen day)
  return ans.data.codes.map((c) => ({ id: c.code, lastUsed: c.lastUsedDay === null ? null : Date.parse(`${c.lastUsedDay}T00:00:00Z`), openSessions: c.openSessions }));
}

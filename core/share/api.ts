/** The sharing methods of the VaultApi (core/vault-api.ts), on top of a Session. */
import type { VaultApi } from '../vault-api.js';
import type { Session } from '../vault/session.js';
import { activity } from './activity.js';
import { accessCodes, createAccessCode, revokeAccessCode, rotateAccessCode } from './codes.js';
import { accessCodeUsage } from './code-usage.js';
import { addMember, blockMember, members, setRole } from './members.js';
import { reencryptNow } from './reencrypt.js';

export type SharingApi = Pick<VaultApi,
  'members' | 'addMember' | 'setRole' | 'blockMember' | 'accessCodes' | 'accessCodeUsage' | 'createAccessCode' | 'rotateAccessCode' | 'revokeAccessCode' | 'reencryptNow' | 'activity'>;

export function sharingApi(s: Session): SharingApi {
  return {
    members: (share) => members(s, share),
    addMember: (share, account, role) => addMember(s, share, account, role),
    setRole: (share, account, role) => setRole(s, share, account, role),
    blockMember: (share, account) => blockMember(s, share, account),
    accessCodes: (share) => accessCodes(s, share),
    accessCodeUsage: (share) => accessCodeUsage(s, share),
    createAccessCode: (share, opts) => createAccessCode(s, share, opts),
    rotateAccessCode: (share, code) => rotateAccessCode(s, share, code),
    revokeAccessCode: (share, code) => revokeAccessCode(s, share, code),
    reencryptNow: (share, onProgress) => reencryptNow(s, share, onProgress),
    activity: (share) => activity(s, share),
  };
}

/**
 * Pending invitations in the sidebar: shares another account added this one to. Each shows the
 * inviter's safety number to compare before accepting (a relay can fabricate an invitation, it
 * cannot fake the number); Accept lists and opens the share, Decline hides it on this device.
 */
import { useTranslation } from 'react-i18next';
import { formatDate } from '../../i18n/format.js';
import { acceptInvitation, declineInvitation } from '../../state/vault-actions.js';
import { personName, useTeam } from '../../state/team-store.js';
import { useVaultData } from '../../state/vault-data.js';
import { fingerprintRows } from '../share-panel/fingerprint-format.js';

export function InvitationList() {
  const { t, i18n } = useTranslation();
  const invitations = useVaultData((s) => s.invitations);
  const people = useTeam((s) => s.people);
  if (invitations.length === 0) return null;
  return (
    <section className="invitations" aria-label={t('sidebar.invitations')}>
      <h2>{t('sidebar.invitations')}</h2>
      <p className="muted small">{t('sidebar.invitationHint')}</p>
      <ul>
        {invitations.map((inv) => {
          // The inviter's name from the verified roster; the short id only if the roster has no such person.
          const who = personName(people, inv.inviter) ?? t('sidebar.inviter', { id: inv.inviter.slice(0, 6) });
          return (
            <li key={inv.share} className="invitation" data-testid="invitation">
              <p className="small">
                {t('sidebar.invitedAs', { who, role: t(`share.role.${inv.myRole}`) })}{' '}
                <time className="muted" dateTime={new Date(inv.at).toISOString()}>{formatDate(inv.at, i18n.language)}</time>
              </p>
              <span className="fingerprint" aria-label={t('share.fingerprint', { name: who })}>
                {fingerprintRows(inv.inviterFingerprint).map((row) => <span key={row}>{row}</span>)}
              </span>
              <div className="actions left">
                <button type="button" className="primary" aria-label={`${t('sidebar.accept')} (${who})`} onClick={() => void acceptInvitation(inv.share)}>{t('sidebar.accept')}</button>
                <button type="button" aria-label={`${t('sidebar.decline')} (${who})`} onClick={() => void declineInvitation(inv.share)}>{t('sidebar.decline')}</button>
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

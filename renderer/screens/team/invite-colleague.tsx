/** Owner/admin: make a single-use team invitation (role, hours valid) and list the invitations with their state; revoke live ones. */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../i18n/format.js';
import type { NewTeamInvitation, TeamInvitationInfo, VaultApi } from '../../../core/vault-api.js';
import { ConfirmDialog } from '../admin-common/confirm-dialog.js';
import { ErrorLine } from '../admin-common/error-line.js';
import { useAction } from '../admin-common/use-action.js';
import { NewInvitationView } from './new-invitation-view.js';

const DEFAULT_HOURS = '72';
const MAX_HOURS = 720;

/** "72" → 72; anything but whole hours in 1…720 → null. */
export function parseHours(text: string): number | null {
  const n = Number(text.trim());
  return /^\d+$/.test(text.trim()) && n >= 1 && n <= MAX_HOURS ? n : null;
}

export function InviteColleague({ vault }: { vault: VaultApi }) {
  const { t, i18n } = useTranslation();
  const load = useAction();
  const act = useAction({ keep: true });
  const [invitations, setInvitations] = useState<TeamInvitationInfo[]>([]);
  const [created, setCreated] = useState<NewTeamInvitation | null>(null);
  const [role, setRole] = useState<'member' | 'admin'>('member');
  const [hours, setHours] = useState(DEFAULT_HOURS);
  const [badHours, setBadHours] = useState(false);
  const [revoking, setRevoking] = useState<TeamInvitationInfo | null>(null);

  const reload = useCallback(() => load.load(async () => setInvitations(await vault.teamInvitations())), [vault]);
  useEffect(() => {
    void reload();
    return vault.onChange((share) => { if (share === '') void reload(); }); // an invitation becomes "used" when a colleague joins (a roster change)
  }, [vault, reload]);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    const expiresInHours = parseHours(hours);
    setBadHours(expiresInHours === null);
    if (expiresInHours === null) return;
    const made = await act.run(() => vault.inviteColleague({ role, expiresInHours }));
    if (made) setCreated(made);
    await reload();
  };
  const revoke = async () => {
    const inv = revoking;
    setRevoking(null);
    if (!inv) return;
    await act.run(() => vault.revokeTeamInvitation(inv.id));
    await reload();
  };
  const when = (ms: number) => formatDateTime(ms, i18n.language);

  return (
    <>
      <section aria-label={t('team.invite')}>
        <h3>{t('team.invite')}</h3>
        <p className="muted">{t('team.inviteHint')}</p>
        <form className="invite-form" onSubmit={(e) => void create(e)}>
          <label>
            {t('team.inviteRole')}
            <select value={role} onChange={(e) => setRole(e.target.value as 'member' | 'admin')}>
              <option value="member">{t('team.role.member')}</option>
              <option value="admin">{t('team.role.admin')}</option>
            </select>
          </label>
          <label>
            {t('team.inviteExpiry')}
            <input type="number" min={1} max={MAX_HOURS} step={1} value={hours} onChange={(e) => setHours(e.target.value)} inputMode="numeric" />
          </label>
          <button type="submit" className="primary" disabled={act.busy}>{t('team.createInvite')}</button>
        </form>
        {badHours && <p className="error" role="alert">{t('team.inviteExpiryInvalid')}</p>}
        {created && <NewInvitationView created={created} onClose={() => setCreated(null)} />}
        <ErrorLine code={act.error} onDismiss={act.clear} />
      </section>
      <section aria-label={t('team.invitations')}>
        <h3>{t('team.invitations')}</h3>
        {invitations.length === 0 ? <p className="muted">{t('team.noInvitations')}</p> : (
          <ul className="list">
            {invitations.map((inv) => {
              const roleName = t(`team.role.${inv.role}`);
              return (
                <li key={inv.id} className="list-row" data-testid="team-invitation-row" data-state={inv.state}>
                  <span className="grow">
                    <strong>{t(`team.state.${inv.state}`)}</strong>{' '}
                    <span className="muted">{t('team.invitationLine', { role: roleName, by: inv.by, date: when(inv.expiresAt) })}</span>
                  </span>
                  {inv.state === 'live' && (
                    <button type="button" className="danger" aria-label={t('team.revokeInviteOf', { role: roleName, date: when(inv.at) })} onClick={() => setRevoking(inv)}>
                      {t('team.revokeInvite')}
                    </button>
                  )}
                </li>
              );
            })}
          </ul>
        )}
        <ErrorLine code={load.error} />
      </section>
      {revoking && <ConfirmDialog message={t('team.revokeInviteConfirm')} confirmLabel={t('team.revokeInvite')} onConfirm={() => void revoke()} onCancel={() => setRevoking(null)} />}
    </>
  );
}

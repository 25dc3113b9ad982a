/**
 * The Team screen: everyone in the verified roster with names, roles and devices; for owners and
 * admins also inviting a colleague, the invitations, changing roles, removing someone from the
 * team (optionally wiping their devices) and revoking a device. Every failure is shown in words
 * and stays until dismissed.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isVaultError } from '../../../core/errors.js';
import type { TeamDevice, TeamPerson } from '../../../core/vault-api.js';
import { useSession } from '../../state/session-store.js';
import { loadTeam, useTeam } from '../../state/team-store.js';
import { ConfirmDialog } from '../admin-common/confirm-dialog.js';
import { ErrorLine } from '../admin-common/error-line.js';
import { useAction } from '../admin-common/use-action.js';
import { RevokeDeviceDialog } from '../devices/revoke-device-dialog.js';
import { InviteColleague } from './invite-colleague.js';
import { PersonCard, type PersonActs } from './person-card.js';

type Pending = { kind: 'remove'; person: TeamPerson } | { kind: 'revoke'; person: TeamPerson; device: TeamDevice } | null;

export function TeamView() {
  const { t } = useTranslation();
  const vault = useSession((s) => s.vault);
  const { info, people, error: loadError } = useTeam();
  const act = useAction({ keep: true });
  const [pending, setPending] = useState<Pending>(null);
  const [wipeToo, setWipeToo] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => void loadTeam(), [vault]);
  if (!vault) return null;
  const canManage = info?.myRole === 'owner' || info?.myRole === 'admin';

  const after = async (fn: () => Promise<unknown>, done?: string) => {
    setNotice(null);
    const ok = await act.run(async () => {
      await fn();
      return true;
    });
    if (ok && done) setNotice(done);
    await loadTeam();
  };
  const acts: PersonActs = {
    canManage,
    busy: act.busy,
    setRole: (p, role) => void after(() => vault.setTeamRole(p.account, role)),
    remove: (p) => {
      setWipeToo(false);
      setPending({ kind: 'remove', person: p });
    },
    revokeDevice: (p, d) => setPending({ kind: 'revoke', person: p, device: d }),
  };
  const confirmRemove = () => {
    if (pending?.kind !== 'remove') return;
    const p = pending.person;
    setPending(null);
    void after(async () => {
      try {
        await vault.removeFromTeam(p.account, { wipeDevices: wipeToo });
      } catch (e) {
        // NOT_FOUND = "not an active member": the core's own roster-change handler may have
        // finished the blocks first. If the verified roster shows them removed, it is done.
        if (!isVaultError(e, 'NOT_FOUND') || (await vault.people()).find((x) => x.account === p.account)?.active !== false) throw e;
      }
    }, t('team.removedDone', { name: p.name }));
  };
  const confirmRevoke = (opts: { lost: boolean }) => {
    if (pending?.kind !== 'revoke') return;
    const d = pending.device;
    setPending(null);
    void after(() => vault.revokeDevice(d.id, { lost: opts.lost }));
  };
  const confirmJoins = () => void after(async () => {
    const n = await vault.confirmJoins();
    setNotice(t('team.confirmedJoins', { count: n }));
  });

  return (
    <div className="panel" aria-label={t('team.title')}>
      <h2>{info?.name ? `${t('team.title')}: ${info.name}` : t('team.title')}</h2>
      <section aria-label={t('team.people')}>
        <h3>{t('team.people')}</h3>
        <ul className="list">
          {people.map((p) => <PersonCard key={p.account} person={p} acts={acts} />)}
        </ul>
        {canManage && <p><button type="button" className="link" onClick={confirmJoins} disabled={act.busy}>{t('team.confirmJoins')}</button></p>}
      </section>
      {notice && <p role="status">{notice}</p>}
      <ErrorLine code={act.error} onDismiss={act.clear} />
      <ErrorLine code={loadError} />
      {canManage && <InviteColleague vault={vault} />}
      {pending?.kind === 'remove' && (
        <ConfirmDialog message={t('team.removeConfirm', { name: pending.person.name })} confirmLabel={t('team.remove')} onConfirm={confirmRemove} onCancel={() => setPending(null)}>
          <label className="check">
            <input type="checkbox" checked={wipeToo} onChange={(e) => setWipeToo(e.target.checked)} />
            {t('team.alsoWipe')}
          </label>
        </ConfirmDialog>
      )}
      {pending?.kind === 'revoke' && (
        <RevokeDeviceDialog name={`${pending.device.name || pending.device.platform} (${pending.person.name})`} onConfirm={confirmRevoke} onCancel={() => setPending(null)} />
      )}
    </div>
  );
}

/**
 * One person of the verified roster: name, "you", team role (a choice for owners/admins), the
 * safety number on demand, their devices (name or platform, last seen, active), and the
 * owner/admin acts — change role, remove from team, revoke a device.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../../i18n/format.js';
import type { TeamDevice, TeamPerson } from '../../../core/vault-api.js';
import { fingerprintRows } from '../share-panel/fingerprint-format.js';

export interface PersonActs {
  /** The viewer is owner/admin of the team. */
  canManage: boolean;
  busy: boolean;
  setRole(p: TeamPerson, role: 'admin' | 'member'): void;
  remove(p: TeamPerson): void;
  revokeDevice(p: TeamPerson, d: TeamDevice): void;
}

export function PersonCard({ person: p, acts }: { person: TeamPerson; acts: PersonActs }) {
  const { t, i18n } = useTranslation();
  const [showFp, setShowFp] = useState(false);
  const manageable = acts.canManage && p.active && !p.you && p.role !== 'owner';
  const deviceLabel = (d: TeamDevice) => d.name || d.platform;
  return (
    <li className="list-row person" data-testid="person-row" data-account={p.account}>
      <div className="person-head">
        <strong className="grow">
          {p.name}
          {p.you && <span className="badge">{t('team.you')}</span>}
          {!p.active && <span className="badge warn">{t('team.removed')}</span>}
        </strong>
        {manageable ? (
          <select aria-label={t('team.changeRole', { name: p.name })} value={p.role} disabled={acts.busy} onChange={(e) => acts.setRole(p, e.target.value as 'admin' | 'member')}>
            <option value="member">{t('team.role.member')}</option>
            <option value="admin">{t('team.role.admin')}</option>
          </select>
        ) : (
          <span data-testid="person-role">{t(`team.role.${p.role}`)}</span>
        )}
        <button type="button" className="link" aria-expanded={showFp} aria-label={t(showFp ? 'team.hideFingerprintOf' : 'team.showFingerprintOf', { name: p.name })} onClick={() => setShowFp(!showFp)}>
          {t(showFp ? 'team.hideFingerprint' : 'team.showFingerprint')}
        </button>
        {manageable && (
          <button type="button" className="danger" aria-label={t('team.removeOf', { name: p.name })} disabled={acts.busy} onClick={() => acts.remove(p)}>
            {t('team.remove')}
          </button>
        )}
      </div>
      {showFp && (
        <div>
          <span className="fingerprint" aria-label={t('share.fingerprint', { name: p.name })}>
            {fingerprintRows(p.fingerprint).map((row) => <span key={row}>{row}</span>)}
          </span>
          {!p.you && <p className="muted small">{t('team.fingerprintHint', { name: p.name })}</p>}
        </div>
      )}
      {p.devices.length === 0 ? <p className="muted small">{t('team.noDevices')}</p> : (
        <ul className="device-list" aria-label={t('team.devicesOf', { name: p.name })}>
          {p.devices.map((d) => (
            <li key={d.id} data-testid="team-device-row">
              <span>{deviceLabel(d)}</span>
              {d.current && <span className="badge">{t('devices.current')}</span>}
              <span className="muted">
                {t('devices.lastSeen')}: {d.lastSeen ? formatDate(d.lastSeen, i18n.language) : t('devices.never')} · {d.active ? t('devices.active') : t('devices.revoked')}
              </span>
              {d.active && !d.current && (acts.canManage || p.you) && (
                <button type="button" className="danger" aria-label={t('devices.revokeOf', { name: `${deviceLabel(d)} (${p.name})` })} disabled={acts.busy} onClick={() => acts.revokeDevice(p, d)}>
                  {t('devices.revoke')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

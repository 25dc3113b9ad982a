/** This account's devices; revoking one signs a wipe order it verifies before deleting its data (R8, DESIGN.md §8). */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../../i18n/format.js';
import type { DeviceInfo } from '../../../core/vault-api.js';
import { useSession } from '../../state/session-store.js';
import { ErrorLine } from '../admin-common/error-line.js';
import { useAction } from '../admin-common/use-action.js';
import { RevokeDeviceDialog } from './revoke-device-dialog.js';

export function DevicesView() {
  const { t, i18n } = useTranslation();
  const vault = useSession((s) => s.vault);
  const [devices, setDevices] = useState<DeviceInfo[]>([]);
  const [pending, setPending] = useState<DeviceInfo | null>(null);
  const load = useAction();
  const act = useAction({ keep: true });

  const reload = useCallback(() => vault && load.load(async () => setDevices(await vault.devices())), [vault]);
  useEffect(() => void reload(), [reload]);
  if (!vault) return null;

  const revoke = async (opts: { lost: boolean }) => {
    const d = pending;
    setPending(null);
    if (!d) return;
    await act.run(() => vault.revokeDevice(d.id, { lost: opts.lost }));
    await reload();
  };

  return (
    <div className="panel" aria-label={t('devices.title')}>
      <h2>{t('devices.title')}</h2>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t('devices.name')}</th>
            <th scope="col">{t('devices.platform')}</th>
            <th scope="col">{t('devices.lastSeen')}</th>
            <th scope="col">{t('devices.active')}</th>
            <th scope="col"><span className="visually-hidden">{t('devices.revoke')}</span></th>
          </tr>
        </thead>
        <tbody>
          {devices.map((d) => (
            <tr key={d.id} data-testid="device-row">
              <td>{d.name || <span className="muted">{t('devices.nameUnreadable')}</span>} {d.current && <span className="badge">{t('devices.current')}</span>}</td>
              <td>{d.platform}</td>
              <td>{d.lastSeen ? formatDate(d.lastSeen, i18n.language) : t('devices.never')}</td>
              <td>{d.active ? t('devices.active') : t('devices.revoked')}</td>
              <td>
                {d.active && !d.current && (
                  <button type="button" className="danger" aria-label={t('devices.revokeOf', { name: d.name || t('devices.nameUnreadable') })} onClick={() => setPending(d)}>
                    {t('devices.revoke')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ErrorLine code={load.error} />
      <ErrorLine code={act.error} onDismiss={act.clear} />
      {pending && <RevokeDeviceDialog name={pending.name || t('devices.nameUnreadable')} onConfirm={(o) => void revoke(o)} onCancel={() => setPending(null)} />}
    </div>
  );
}

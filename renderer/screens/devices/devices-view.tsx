/** This account's devices; deactivating one makes the relay order it to wipe itself (R8). */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeviceInfo } from '../../../core/vault-api.js';
import { useSession } from '../../state/session-store.js';
import { ConfirmDialog } from '../admin-common/confirm-dialog.js';
import { ErrorLine } from '../admin-common/error-line.js';
import { useAction } from '../admin-common/use-action.js';

export function DevicesView() {
  const { t, i18n } = useTranslation();
  const vault = useSession((s) => s.vault);
  const [devices, setDevices] = useState<DeviceInfo[]>([]);
  const [pending, setPending] = useState<DeviceInfo | null>(null);
  const action = useAction();

  const reload = useCallback(() => vault && action.load(async () => setDevices(await vault.devices())), [vault]);
  useEffect(() => void reload(), [reload]);
  if (!vault) return null;

  const deactivate = async () => {
    const d = pending;
    setPending(null);
    if (!d) return;
    await action.run(() => vault.deactivateDevice(d.id));
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
            <th scope="col"><span className="visually-hidden">{t('devices.deactivate')}</span></th>
          </tr>
        </thead>
        <tbody>
          {devices.map((d) => (
            <tr key={d.id} data-testid="device-row">
              <td>{d.name} {d.current && <span className="badge">{t('devices.current')}</span>}</td>
              <td>{d.platform}</td>
              <td>{d.lastSeen ? new Date(d.lastSeen).toLocaleDateString(i18n.language) : t('devices.never')}</td>
              <td>{d.active ? t('devices.active') : t('devices.inactive')}</td>
              <td>
                {d.active && !d.current && (
                  <button type="button" className="danger" aria-label={`${t('devices.deactivate')} ${d.name}`} onClick={() => setPending(d)}>
                    {t('devices.deactivate')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ErrorLine code={action.error} onDismiss={action.clear} />
      {pending && (
        <ConfirmDialog message={t('devices.deactivateConfirm', { name: pending.name })} confirmLabel={t('devices.deactivate')} onConfirm={() => void deactivate()} onCancel={() => setPending(null)} />
      )}
    </div>
  );
}

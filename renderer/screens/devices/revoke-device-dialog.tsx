/**
 * The confirmation before a device is revoked (a signed wipe order in the team roster), with the
 * "lost or stolen" choice: then the device deletes at once and offers no export of its unsynced
 * changes. Used by the Devices screen (own devices) and the Team screen (admins, anyone's).
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from '../admin-common/confirm-dialog.js';

export function RevokeDeviceDialog({ name, onConfirm, onCancel }: { name: string; onConfirm(opts: { lost: boolean }): void; onCancel(): void }) {
  const { t } = useTranslation();
  const [lost, setLost] = useState(false);
  return (
    <ConfirmDialog message={t('devices.revokeConfirm', { name })} confirmLabel={t('devices.revoke')} onConfirm={() => onConfirm({ lost })} onCancel={onCancel}>
      <label className="check">
        <input type="checkbox" checked={lost} onChange={(e) => setLost(e.target.checked)} />
        {t('devices.lost')}
      </label>
    </ConfirmDialog>
  );
}

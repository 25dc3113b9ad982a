/**
 * A verified wipe order (SyncStatus.wipe: a "device revoked" roster entry signed by this
 * account or a team admin) takes the whole window: who ordered it, how many local changes never
 * reached the relay, "Export my data" (unless the order says lost or stolen) and "Delete now"
 * (finishWipe). Nothing is deleted before the user presses it.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { WipeNotice as Wipe } from '../../core/vault-api.js';
import { ErrorLine } from '../screens/admin-common/error-line.js';
import { ProgressBar } from '../screens/admin-common/progress-bar.js';
import { useAction } from '../screens/admin-common/use-action.js';
import { useSession } from '../state/session-store.js';
import { useServices } from './services.js';

export function WipeNotice({ wipe }: { wipe: Wipe }) {
  const { t } = useTranslation();
  const { platform } = useServices();
  const vault = useSession((s) => s.vault);
  const action = useAction({ keep: true });
  const [exporting, setExporting] = useState<{ done: number; total: number } | null>(null);
  const [exported, setExported] = useState(false);
  const [deleting, setDeleting] = useState(false);
  if (!vault) return null;

  const exportAll = async () => {
    setExporting({ done: 0, total: 0 });
    const saved = await action.run(() => platform.saveFile('truhe-export.zip', vault.exportAll((done, total) => setExporting({ done, total }))));
    setExporting(null);
    if (saved) setExported(true);
  };
  const deleteNow = async () => {
    setDeleting(true);
    const ok = await action.run(async () => {
      await vault.finishWipe();
      return true;
    });
    setDeleting(false);
    if (ok) await useSession.getState().end('DEVICE_WIPED');
  };

  return (
    <main className="card-screen" aria-labelledby="wipe-title">
      <section className="card" data-testid="wipe-notice" data-lost={wipe.lost}>
        <h1 id="wipe-title">{t('wipe.title')}</h1>
        <p role="alert">{t('wipe.by', { by: wipe.by })} {t('wipe.pending', { count: wipe.pendingChanges })}</p>
        <p className="muted">{wipe.lost ? t('wipe.lostHint') : t('wipe.exportHint')}</p>
        {exporting && <ProgressBar label={t('wipe.export')} done={exporting.done} total={exporting.total} />}
        {exported && <p role="status">{t('wipe.exported')}</p>}
        {deleting && <p role="status" className="muted">{t('wipe.deleting')}</p>}
        <ErrorLine code={action.error} onDismiss={action.clear} />
        <div className="actions">
          {!wipe.lost && <button type="button" className="primary" onClick={() => void exportAll()} disabled={action.busy}>{t('wipe.export')}</button>}
          <button type="button" className="danger" onClick={() => void deleteNow()} disabled={action.busy}>{t('wipe.deleteNow')}</button>
        </div>
      </section>
    </main>
  );
}

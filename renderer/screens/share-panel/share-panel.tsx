/** The share panel: members, access codes and eager re-encryption for one share. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ShareSummary } from '../../../core/vault-api.js';
import { useSession } from '../../state/session-store.js';
import { ErrorLine } from '../admin-common/error-line.js';
import { ProgressBar } from '../admin-common/progress-bar.js';
import { useAction } from '../admin-common/use-action.js';
import { CodeList } from './code-list.js';
import { MemberList } from './member-list.js';

export function SharePanel({ share }: { share: string }) {
  const { t } = useTranslation();
  const vault = useSession((s) => s.vault);
  const [summary, setSummary] = useState<ShareSummary | null>(null);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [reencrypted, setReencrypted] = useState(false);
  const action = useAction();

  useEffect(() => {
    if (vault) void action.load(async () => setSummary((await vault.listShares()).find((s) => s.id === share) ?? null));
  }, [vault, share]);
  if (!vault) return null;
  const canManage = summary?.myRole === 'owner' || summary?.myRole === 'admin';

  const reencrypt = async () => {
    setReencrypted(false);
    setProgress({ done: 0, total: 0 });
    const ok = await action.run(async () => {
      await vault.reencryptNow(share, (done, total) => setProgress({ done, total }));
      return true;
    });
    setReencrypted(ok === true);
  };

  return (
    <div className="panel" aria-label={t('share.title')}>
      <h2>{summary ? `${t('share.title')}: ${summary.name}` : t('share.title')}</h2>
      <MemberList vault={vault} share={share} canManage={canManage} />
      <CodeList vault={vault} share={share} canManage={canManage} />
      {canManage && (
        <section aria-label={t('share.reencrypt')}>
          <h3>{t('share.reencrypt')}</h3>
          <p className="muted">{t('share.reencryptHint')}</p>
          <button type="button" onClick={() => void reencrypt()} disabled={action.busy}>{t('share.reencrypt')}</button>
          {progress && <ProgressBar label={t('share.progress')} done={progress.done} total={progress.total} />}
          {reencrypted && <p role="status">{t('share.reencryptDone')}</p>}
        </section>
      )}
      <ErrorLine code={action.error} onDismiss={action.clear} />
    </div>
  );
}

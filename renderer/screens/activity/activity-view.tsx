/** The share's verified membership log as a timeline: who did what to whom, and when. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../state/session-store.js';
import { ErrorLine } from '../admin-common/error-line.js';
import { useAction } from '../admin-common/use-action.js';
import { timeline, type TimelineLine } from './activity-format.js';

export function ActivityView({ share }: { share: string }) {
  const { t, i18n } = useTranslation();
  const vault = useSession((s) => s.vault);
  const [lines, setLines] = useState<TimelineLine[] | null>(null);
  const action = useAction();

  useEffect(() => {
    if (!vault) return;
    const load = () => void action.load(async () => setLines(timeline(await vault.activity(share))));
    load();
    return vault.onChange((changed) => changed === share && load());
  }, [vault, share]);

  const roleWord = (detail: string) => (['owner', 'admin', 'editor', 'viewer'].includes(detail) ? t(`share.role.${detail}`) : detail);
  return (
    <div className="panel" aria-label={t('activity.title')}>
      <h2>{t('activity.title')}</h2>
      <p className="muted">{t('activity.verified')}</p>
      {lines === null && !action.error && <p>{t('admin.loading')}</p>}
      {lines?.length === 0 && <p className="muted">{t('activity.empty')}</p>}
      <ol className="timeline">
        {lines?.map((l) => (
          <li key={l.index} data-testid="activity-entry">
            <time dateTime={new Date(l.at).toISOString()}>{new Date(l.at).toLocaleString(i18n.language)}</time>{' '}
            {t(l.key, { ...l.values, detail: roleWord(l.values.detail) })}
          </li>
        ))}
      </ol>
      <ErrorLine code={action.error} onDismiss={action.clear} />
    </div>
  );
}

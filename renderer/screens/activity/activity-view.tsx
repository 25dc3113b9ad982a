/** The share's verified membership log as a timeline: who did what to whom, and when. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../i18n/use-format.js';
import { useSession } from '../../state/session-store.js';
import { ErrorLine } from '../admin-common/error-line.js';
import { useAction } from '../admin-common/use-action.js';
import { timeline, type TimelineLine } from './activity-format.js';

export function ActivityView({ share }: { share: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const vault = useSession((s) => s.vault);
  const [lines, setLines] = useState<TimelineLine[] | null>(null);
  const action = useAction();

  useEffect(() => {
    if (!vault) return;
    const load = () => void action.load(async () => setLines(timeline(await vault.activity(share))));
    load();
    return vault.onChange((changed) => changed === share && load());
  }, [vault, share]);

  const sentence = (l: TimelineLine) => t(l.key, {
    context: l.context,
    by: fmt.person(l.by),
    subject: l.member ? fmt.person(l.member) : l.code ?? '',
    detail: l.role ? t(`share.role.${l.role}`) : '',
  });
  const note = (l: TimelineLine) => (l.access ? t(`activity.${l.access}`) : l.epoch !== undefined ? t('activity.keyVersion', { epoch: l.epoch }) : '');
  return (
    <div className="panel" aria-label={t('activity.title')}>
      <h2>{t('activity.title')}</h2>
      <p className="muted">{t('activity.verified')}</p>
      {lines === null && !action.error && <p>{t('admin.loading')}</p>}
      {lines?.length === 0 && <p className="muted">{t('activity.empty')}</p>}
      <ol className="timeline">
        {lines?.map((l) => (
          <li key={l.index} data-testid="activity-entry">
            <time dateTime={new Date(l.at).toISOString()}>{fmt.dateTime(l.at)}</time>{' '}
            {sentence(l)}
            {note(l) && <span className="muted"> · {note(l)}</span>}
          </li>
        ))}
      </ol>
      <ErrorLine code={action.error} onDismiss={action.clear} />
    </div>
  );
}

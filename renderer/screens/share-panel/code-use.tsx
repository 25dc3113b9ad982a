/** "last used … · N open sessions" of one access code (the relay keeps the UTC day only). */
import { useTranslation } from 'react-i18next';
import type { AccessCodeUsage } from '../../../core/vault-api.js';

const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function CodeUse({ use }: { use: AccessCodeUsage }) {
  const { t, i18n } = useTranslation();
  const last = use.lastUsed === null
    ? t('share.neverUsed')
    : utcDay(use.lastUsed) === utcDay(Date.now())
      ? t('share.lastUsedToday')
      : t('share.lastUsed', { date: new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeZone: 'UTC' }).format(use.lastUsed) });
  return (
    <span className="muted small" data-testid="access-code-use">
      {' '}· {last}{use.openSessions > 0 && <> · {t('share.openSessions', { count: use.openSessions })}</>}
    </span>
  );
}

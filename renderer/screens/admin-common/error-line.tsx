/**
 * One line that words an error code (`error.<CODE>` from the shell's strings) for screen readers
 * too. With `onDismiss` it has a close button; it stays until then or until the user retries.
 */
import { useTranslation } from 'react-i18next';

export function ErrorLine({ code, onDismiss }: { code: string | null; onDismiss?: () => void }) {
  const { t } = useTranslation();
  if (!code) return null;
  return (
    <p className="error" role="alert" data-error-code={code}>
      {t(`error.${code}`, { defaultValue: t('error.INTERNAL') })}
      {onDismiss && <button type="button" className="link dismiss" onClick={onDismiss} aria-label={t('common.dismiss')}>×</button>}
    </p>
  );
}

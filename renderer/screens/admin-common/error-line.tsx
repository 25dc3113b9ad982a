/** One line that words an error code (`error.<CODE>` from the shell's strings) for screen readers too. */
import { useTranslation } from 'react-i18next';

export function ErrorLine({ code }: { code: string | null }) {
  const { t } = useTranslation();
  if (!code) return null;
  return (
    <p className="error" role="alert">
      {t(`error.${code}`, { defaultValue: t('error.INTERNAL') })}
    </p>
  );
}

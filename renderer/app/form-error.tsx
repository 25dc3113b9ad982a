/**
 * A form's failure in words (error.<CODE>), announced to screen readers. `nothingPending`: no
 * change of the user's waits anywhere (sign-in, join, create), so words like "your changes are
 * kept" would not be true; errorNoPending.<CODE> is used where it exists.
 */
import { useTranslation } from 'react-i18next';
import type { VaultErrorCode } from '../../core/errors.js';

export function FormError({ code, text, nothingPending }: { code?: VaultErrorCode | null; text?: string | null; nothingPending?: boolean }) {
  const { t } = useTranslation();
  if (!code && !text) return null;
  return (
    <p className="form-error" role="alert" data-error-code={code ?? undefined}>
      {code ? t(nothingPending ? [`errorNoPending.${code}`, `error.${code}`] : `error.${code}`) : text}
    </p>
  );
}

/** A form's failure in words (error.<CODE>), announced to screen readers. */
import { useTranslation } from 'react-i18next';
import type { VaultErrorCode } from '../../core/errors.js';

export function FormError({ code, text }: { code?: VaultErrorCode | null; text?: string | null }) {
  const { t } = useTranslation();
  if (!code && !text) return null;
  return (
    <p className="form-error" role="alert" data-error-code={code ?? undefined}>
      {code ? t(`error.${code}`) : text}
    </p>
  );
}

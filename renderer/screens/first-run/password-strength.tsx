/** Password strength meter (@zxcvbn-ts): the score 0–4 shown as a bar and in words. */
import { useTranslation } from 'react-i18next';

export function PasswordStrength({ empty, score, warning }: { empty: boolean; score: number; warning?: string }) {
  const { t } = useTranslation();
  return (
    <div className="strength">
      <meter id="password-strength" min={0} max={4} low={2} high={3} optimum={4} value={empty ? 0 : score} aria-label={t('strength.label')} />
      <span aria-live="polite">{empty ? '' : t(`strength.${score}` as 'strength.0')}</span>
      {warning && <span className="muted small">{warning}</span>}
    </div>
  );
}

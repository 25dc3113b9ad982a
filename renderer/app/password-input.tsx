/**
 * A password field with its label and a show/hide toggle. The toggle sits beside the label, not
 * inside it, so the field's accessible name stays the label's text; it is named by its own text
 * ("Show password" / "Hide password", visually hidden next to the eye icon) and says its state
 * with aria-pressed. Shown text goes back to dots when the field is left empty or unmounted.
 */
import { useState, type InputHTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { Eye, EyeOff } from 'lucide-react';

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'type'>;

export function PasswordInput({ label, className, ...input }: InputProps & { label: string }) {
  const { t } = useTranslation();
  const [shown, setShown] = useState(false);
  const Icon = shown ? EyeOff : Eye;
  return (
    <div className={className ? `password-field ${className}` : 'password-field'}>
      <label>
        {label}
        <input {...input} type={shown ? 'text' : 'password'} spellCheck={false} autoCapitalize="off" />
      </label>
      <button type="button" className="reveal" aria-pressed={shown} onClick={() => setShown((v) => !v)}>
        <Icon className="icon" size={16} aria-hidden="true" />
        <span className="visually-hidden">{shown ? t('design.hidePassword') : t('design.showPassword')}</span>
      </button>
    </div>
  );
}

/**
 * A new password, typed twice, with the strength meter: shared by "create a team" and "join my
 * team". `check()` scores the password itself (the meter may still be loading its dictionaries)
 * and returns the problem in words, or null when the password may be used.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PasswordStrength } from './password-strength.js';
import { passwordScore, usePasswordScore } from './zxcvbn.js';
import { PasswordInput } from '../../app/password-input.js';

const MIN_SCORE = 3;

export interface NewPassword {
  password: string;
  confirm: string;
  setPassword(v: string): void;
  setConfirm(v: string): void;
  check(): Promise<string | null>;
  clear(): void;
  score: number;
  warning: string | undefined;
}

export function useNewPassword(): NewPassword {
  const { t } = useTranslation();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const strength = usePasswordScore(password);
  return {
    password,
    confirm,
    setPassword,
    setConfirm,
    score: strength?.score ?? 0,
    warning: strength?.warning ?? undefined,
    async check() {
      if ((strength ?? (await passwordScore(password))).score < MIN_SCORE) return t('create.tooWeak');
      if (password !== confirm) return t('create.mismatch');
      return null;
    },
    clear() {
      setPassword('');
      setConfirm('');
    },
  };
}

export function NewPasswordFields({ pw, autoFocus = false }: { pw: NewPassword; autoFocus?: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      <PasswordInput label={t('create.password')} autoComplete="new-password" value={pw.password} onChange={(e) => pw.setPassword(e.target.value)} required autoFocus={autoFocus} aria-describedby="password-strength" />
      <PasswordStrength empty={!pw.password} score={pw.score} warning={pw.warning} />
      <PasswordInput label={t('create.confirm')} autoComplete="new-password" value={pw.confirm} onChange={(e) => pw.setConfirm(e.target.value)} required />
    </>
  );
}

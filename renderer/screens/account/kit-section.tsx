/**
 * Account → "Show my emergency kit": the password once more (Argon2id, VaultApi.emergencyKit),
 * then the kit (renderer/kit/kit-card.tsx). A wrong password says so and shows nothing. The kit
 * stays in this component's state only, and is dropped on "Hide" or when the screen closes.
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { EmergencyKit, VaultApi } from '../../../core/vault-api.js';
import { KitCard } from '../../kit/kit-card.js';
import { ErrorLine } from '../admin-common/error-line.js';
import { useAction } from '../admin-common/use-action.js';

export function KitSection({ vault }: { vault: VaultApi }) {
  const { t } = useTranslation();
  const action = useAction();
  const [password, setPassword] = useState('');
  const [kit, setKit] = useState<EmergencyKit | null>(null);
  const show = async (e: FormEvent) => {
    e.preventDefault();
    const k = await action.run(() => vault.emergencyKit(password));
    setPassword('');
    if (k) setKit(k);
  };
  return (
    <section aria-label={t('account.kit')}>
      <h3>{t('account.kit')}</h3>
      {kit ? (
        <>
          <KitCard kit={kit} vault={vault} />
          <button type="button" onClick={() => setKit(null)}>{t('account.hideKit')}</button>
        </>
      ) : (
        <form className="stack" onSubmit={show}>
          <p className="muted">{t('account.kitHint')}</p>
          <label>
            {t('account.kitPassword')}
            <input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
          </label>
          <button type="submit" disabled={action.busy || !password}>{t('account.showKit')}</button>
        </form>
      )}
      <ErrorLine code={action.error} onDismiss={action.clear} />
    </section>
  );
}

/**
 * The emergency kit, shown once after team creation or joining (renderer/kit/kit-card.tsx: the
 * fields, setup code, copy buttons, Save as PDF). The user must confirm before the vault opens;
 * the kit lives only in the session slice and is dropped on confirm. Account shows it again
 * after the password is entered once more.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { KitCard } from '../../kit/kit-card.js';
import { useSession } from '../../state/session-store.js';

export function EmergencyKit() {
  const { t } = useTranslation();
  const kit = useSession((s) => s.kit);
  const vault = useSession((s) => s.vault);
  const [saved, setSaved] = useState(false);
  if (!kit) return null;
  const done = () => useSession.setState({ kit: null, screen: 'vault' });
  return (
    <main className="card-screen" aria-labelledby="kit-title">
      <section className="card kit">
        <h1 id="kit-title">{t('kit.title')}</h1>
        <p>{t('kit.intro')}</p>
        <KitCard kit={kit} vault={vault} />
        <div className="no-print">
          <label className="check">
            <input type="checkbox" checked={saved} onChange={(e) => setSaved(e.target.checked)} />
            {t('kit.confirm')}
          </label>
          <button type="button" className="primary wide" disabled={!saved} onClick={done}>{t('kit.continue')}</button>
        </div>
      </section>
    </main>
  );
}

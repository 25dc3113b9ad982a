/**
 * Shown when access ended for good: a guest's code rotated or revoked, blocked, removed from the
 * team, device wiped — or locked because the relay said "wipe" with no order this device could
 * verify (nothing was deleted; the account can still be unlocked from the start screen).
 */
import { useTranslation } from 'react-i18next';
import type { VaultErrorCode } from '../../core/errors.js';
import { useSession } from '../state/session-store.js';

const TITLES: Partial<Record<VaultErrorCode, string>> = {
  MEMBER_REMOVED: 'ended.removed',
  DEVICE_WIPED: 'ended.wiped',
  WIPE_UNVERIFIED: 'ended.wipeUnverified',
};
/** Where the title already says what the error's words would, the paragraph adds what it means instead. */
const DETAILS: Partial<Record<VaultErrorCode, string>> = {
  MEMBER_REMOVED: 'ended.removedDetail',
  DEVICE_WIPED: 'ended.wipedDetail',
};

export function Ended() {
  const { t } = useTranslation();
  const code = useSession((s) => s.endedBy);
  const title = (code && TITLES[code]) ?? 'guest.ended';
  const detail = code ? (DETAILS[code] ?? `error.${code}`) : null;
  return (
    <main className="card-screen" aria-labelledby="ended-title">
      <section className="card" data-ended-by={code ?? undefined}>
        <h1 id="ended-title">{t(title)}</h1>
        {code && detail && <p role="alert" className="form-error" data-error-code={code}>{t(detail)}</p>}
        <button type="button" className="primary" onClick={() => useSession.setState({ screen: 'welcome', endedBy: null })}>{t('guest.startOver')}</button>
      </section>
    </main>
  );
}

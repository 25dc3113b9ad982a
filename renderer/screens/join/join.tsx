/** Join a share as a guest with a `truhe://join?…` link, or with team id + typed access code. */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { FormError } from '../../app/form-error.js';
import { joinScreenFor } from '../../app/join-link.js';
import { useServices } from '../../app/services.js';
import { useBusy } from '../../app/use-busy.js';
import { useSession } from '../../state/session-store.js';
import { linkRelay } from '../../app/relay-gate.js';
import { LinkGatePanel, useLinkGate } from '../first-run/relay-gate-panel.js';

/** `onTeamLink`: a pasted `truhe://team?…` invitation is not a share link — it goes to "join my team". */
export function Join({ initialLink = '', onTeamLink }: { initialLink?: string; onTeamLink?: (link: string) => void }) {
  const { t } = useTranslation();
  const { launcher, relayUrl } = useServices();
  const [link, setLink] = useState(initialLink);
  const [typed, setTyped] = useState({ relayUrl: relayUrl(), team: '', code: '' });
  const [missing, setMissing] = useState(false);
  const { busy, error, run } = useBusy();
  const gate = useLinkGate();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const byLink = link.trim() !== '';
    if (byLink && onTeamLink && joinScreenFor(link) === 'join-team') return onTeamLink(link.trim());
    if (!byLink && (!typed.team.trim() || !typed.code.trim())) return setMissing(true);
    setMissing(false);
    // Another relay than the one in use (in the link, or typed): shown and asked about first.
    if (gate.pass(byLink ? linkRelay(link) : typed.relayUrl.trim(), () => join(byLink))) join(byLink);
  };
  const join = (byLink: boolean) => {
    void run(async () => {
      const vault = await launcher.joinWithCode(byLink ? { link: link.trim() } : { relayUrl: typed.relayUrl.trim(), team: typed.team.trim(), code: typed.code.trim() });
      setLink('');
      setTyped((x) => ({ ...x, code: '' }));
      useSession.getState().open(vault, { guest: true });
    });
  };
  return (
    <main className="card-screen" aria-labelledby="join-title">
      <form className="card" onSubmit={submit} aria-busy={busy}>
        <h1 id="join-title">{t('join.title')}</h1>
        <label>
          {t('join.link')}
          <input value={link} onChange={(e) => setLink(e.target.value)} placeholder="truhe://join?…" aria-describedby="join-link-hint" spellCheck={false} autoComplete="off" autoFocus />
        </label>
        <span id="join-link-hint" className="muted small">{t('join.linkHint')}</span>
        <p className="divider">{t('join.or')}</p>
        <label>
          {t('common.relay')}
          <input value={typed.relayUrl} onChange={(e) => setTyped({ ...typed, relayUrl: e.target.value })} spellCheck={false} />
        </label>
        <label>
          {t('join.team')}
          <input value={typed.team} onChange={(e) => setTyped({ ...typed, team: e.target.value })} spellCheck={false} />
        </label>
        <label>
          {t('join.code')}
          <input className="mono" value={typed.code} onChange={(e) => setTyped({ ...typed, code: e.target.value })} placeholder="XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX" aria-describedby="join-code-hint" spellCheck={false} autoComplete="off" />
        </label>
        <span id="join-code-hint" className="muted small">{t('join.codeHint')}</span>
        {/* The relay refuses a dead code without saying why (no oracle): for the guest that means "not valid". */}
        <LinkGatePanel gate={gate} />
        <FormError nothingPending code={error === 'NOT_ALLOWED' ? 'CODE_INVALID' : error} text={missing ? t('join.missing') : null} />
        {busy && <p className="muted" role="status">{t('join.busy')}</p>}
        <div className="actions">
          <button type="button" onClick={() => useSession.getState().go('welcome')} disabled={busy}>{t('common.back')}</button>
          <button type="submit" className="primary" disabled={busy || gate.busy}>{t('join.submit')}</button>
        </div>
      </form>
    </main>
  );
}

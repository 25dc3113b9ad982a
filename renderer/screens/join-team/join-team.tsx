/**
 * Join my team with an invitation (`truhe://team?…`). Two steps, so the invitee sees who invites
 * them to which team BEFORE any password field: (1) paste the link → previewInvitation opens the
 * sealed invitation card; (2) your name, a new password, this device's name → joinTeam → the
 * emergency kit → "waiting for an admin to confirm" until an admin's client signs the join.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../i18n/format.js';
import type { InvitationPreview } from '../../../core/vault-api.js';
import { FormError } from '../../app/form-error.js';
import { useServices } from '../../app/services.js';
import { useBusy } from '../../app/use-busy.js';
import { useSession } from '../../state/session-store.js';
import { NewPasswordFields, useNewPassword } from '../first-run/new-password.js';
import { LinkGatePanel, useLinkGate } from '../first-run/relay-gate-panel.js';
import { linkRelay } from '../../app/relay-gate.js';

const NAME_MAX = 80;

export function JoinTeam({ initialLink = '' }: { initialLink?: string }) {
  const { t } = useTranslation();
  const { launcher } = useServices();
  const [link, setLink] = useState(initialLink);
  const [preview, setPreview] = useState<InvitationPreview | null>(null);
  const [missing, setMissing] = useState(false);
  const { busy, error, run } = useBusy();
  const gate = useLinkGate();

  const open = (text: string) => void run(async () => setPreview(await launcher.previewInvitation(text.trim())));
  const show = (text: string) => {
    if (!text.trim()) return setMissing(true);
    setMissing(false);
    // A link to another relay is shown and asked about before anything contacts that relay.
    if (gate.pass(linkRelay(text), () => open(text))) open(text);
  };
  // A link handed over by the OS (or ?join=) is opened at once; it still shows before anything is created.
  useEffect(() => {
    if (initialLink) show(initialLink);
  }, [initialLink]);

  if (preview) return <JoinTeamForm link={link.trim()} preview={preview} onOtherLink={() => setPreview(null)} />;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    show(link);
  };
  return (
    <main className="card-screen" aria-labelledby="join-team-title">
      <form className="card" onSubmit={submit} aria-busy={busy}>
        <h1 id="join-team-title">{t('joinTeam.title')}</h1>
        <label>
          {t('joinTeam.link')}
          <input value={link} onChange={(e) => setLink(e.target.value)} placeholder="truhe://team?…" aria-describedby="join-team-link-hint" spellCheck={false} autoComplete="off" autoFocus />
        </label>
        <span id="join-team-link-hint" className="muted small">{t('joinTeam.linkHint')}</span>
        <LinkGatePanel gate={gate} />
        <FormError nothingPending code={error} text={missing ? t('joinTeam.missing') : null} />
        {busy && <p className="muted" role="status">{t('joinTeam.checking')}</p>}
        <div className="actions">
          <button type="button" onClick={() => useSession.getState().go('welcome')} disabled={busy}>{t('common.back')}</button>
          <button type="submit" className="primary" disabled={busy || gate.busy}>{t('joinTeam.check')}</button>
        </div>
      </form>
    </main>
  );
}

function JoinTeamForm({ link, preview, onOtherLink }: { link: string; preview: InvitationPreview; onOtherLink(): void }) {
  const { t, i18n } = useTranslation();
  const { launcher, deviceName: defaultDevice } = useServices();
  const [displayName, setDisplayName] = useState('');
  const [deviceName, setDeviceName] = useState(defaultDevice);
  const [problem, setProblem] = useState<string | null>(null);
  const pw = useNewPassword();
  const { busy, error, run } = useBusy();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!displayName.trim()) return setProblem(t('joinTeam.missingName'));
    const weak = await pw.check();
    if (weak) return setProblem(weak);
    setProblem(null);
    void run(async () => {
      const { vault, kit } = await launcher.joinTeam({ link, password: pw.password, displayName: displayName.trim(), deviceName: deviceName.trim() || defaultDevice });
      pw.clear();
      useSession.getState().open(vault, { kit });
    });
  };
  const role = t(`team.role.${preview.role}`);
  return (
    <main className="card-screen" aria-labelledby="join-team-title">
      <form className="card" onSubmit={(e) => void submit(e)} aria-busy={busy}>
        <h1 id="join-team-title">{t('joinTeam.title')}</h1>
        <section className="preview-card" data-testid="invitation-preview" aria-label={t('joinTeam.link')}>
          <p className="invite-headline">{t('joinTeam.invites', { inviter: preview.inviterName, team: preview.teamName, role })}</p>
          <p className="muted small">{t('joinTeam.expires', { date: formatDateTime(preview.expiresAt, i18n.language) })}</p>
          <p className="muted small">{t('joinTeam.server', { relay: preview.relayUrl })}</p>
          <p className="small">{t('joinTeam.previewHint')}</p>
        </section>
        <label>
          {t('create.displayName')}
          <input value={displayName} onChange={(e) => setDisplayName(e.target.value)} maxLength={NAME_MAX} required autoFocus autoComplete="name" aria-describedby="join-name-hint" />
        </label>
        <span id="join-name-hint" className="muted small">{t('create.displayNameHint')}</span>
        <NewPasswordFields pw={pw} />
        <label>
          {t('common.deviceName')}
          <input value={deviceName} onChange={(e) => setDeviceName(e.target.value)} maxLength={NAME_MAX} autoComplete="off" />
        </label>
        <FormError nothingPending code={error} text={problem} />
        {busy && <p className="muted" role="status">{t('joinTeam.busy')}</p>}
        <div className="actions">
          <button type="button" onClick={onOtherLink} disabled={busy}>{t('joinTeam.otherLink')}</button>
          <button type="submit" className="primary" disabled={busy}>{t('joinTeam.submit')}</button>
        </div>
      </form>
    </main>
  );
}

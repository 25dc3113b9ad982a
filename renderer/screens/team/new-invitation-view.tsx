/** A team invitation just made, shown once: the link, the typed TRI- code, copy buttons and a local QR code of the link. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { NewTeamInvitation } from '../../../core/vault-api.js';
import { QrImage } from '../admin-common/qr-image.js';

export function NewInvitationView({ created, onClose }: { created: NewTeamInvitation; onClose(): void }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState<'link' | 'code' | null>(null);
  const copy = async (what: 'link' | 'code') => {
    await navigator.clipboard?.writeText(what === 'link' ? created.link : created.code).catch(() => undefined);
    setCopied(what);
  };
  return (
    <section className="card new-code" aria-label={t('team.newInvite')}>
      <h3>{t('team.newInvite')}</h3>
      <p className="muted">{t('team.newInviteHint')}</p>
      <p>
        <span className="muted small">{t('team.inviteLink')}</span><br />
        <code className="access-link" data-testid="team-invite-link">{created.link}</code>
      </p>
      <p>
        <span className="muted small">{t('team.inviteCode')}</span><br />
        <code className="access-code" data-testid="team-invite-code">{created.code}</code>
      </p>
      <div className="row">
        <button type="button" onClick={() => void copy('link')}>{copied === 'link' ? t('team.copied') : t('team.copyLink')}</button>
        <button type="button" onClick={() => void copy('code')}>{copied === 'code' ? t('team.copied') : t('team.copyCode')}</button>
        <button type="button" onClick={onClose}>{t('admin.close')}</button>
      </div>
      <QrImage text={created.link} alt={t('team.inviteQr')} />
    </section>
  );
}

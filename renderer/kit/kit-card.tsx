/**
 * The emergency kit's contents on screen: Secret Key, server, team id, account id and the setup
 * code (QR + text), with copy buttons and "Save as PDF" (made here, kit-pdf.ts, and saved through
 * the Platform: a download on the web, the save dialog in Electron). Used right after creating or
 * joining a team and again from Account after the password is entered once more.
 */
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatSetupCode } from '../../core/model/setup-code.js';
import type { EmergencyKit, VaultApi } from '../../core/vault-api.js';
import { CopyButton } from '../app/copy-button.js';
import { useServices } from '../app/services.js';
import { QrImage } from '../screens/admin-common/qr-image.js';
import { emergencyKitPdf, type KitPdfWords } from './kit-pdf.js';

function bytesStream(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream({ start: (c) => (c.enqueue(bytes), c.close()) });
}

export function KitCard({ kit, vault }: { kit: EmergencyKit; vault: VaultApi | null }) {
  const { t, i18n } = useTranslation();
  const { platform } = useServices();
  const [teamName, setTeamName] = useState('');
  const [saved, setSaved] = useState<'no' | 'yes' | 'failed'>('no');
  const setupCode = useMemo(() => formatSetupCode(kit), [kit]);
  useEffect(() => {
    let live = true;
    vault?.team().then((info) => live && setTeamName(info.name)).catch(() => undefined);
    return () => {
      live = false;
    };
  }, [vault]);

  const savePdf = async () => {
    const words: KitPdfWords = {
      title: t('kit.pdf.title'), intro: t('kit.pdf.intro'), team: t('kit.team'), relay: t('kit.relay'), teamId: t('kit.teamId'),
      accountId: t('kit.accountId'), secretKey: t('kit.secretKey'), password: t('kit.pdf.password'), passwordHint: t('kit.pdf.passwordHint'),
      setupCode: t('kit.setupCode'), setupCodeHint: t('kit.pdf.setupCodeHint'),
      footer: t('kit.pdf.footer', { date: new Intl.DateTimeFormat(i18n.language, { dateStyle: 'long' }).format(new Date()) }),
    };
    try {
      const ok = await platform.saveFile(t('kit.pdf.fileName'), bytesStream(emergencyKitPdf(kit, teamName, setupCode, words)));
      setSaved(ok ? 'yes' : 'no');
    } catch {
      setSaved('failed');
    }
  };

  const rows = [
    ['kit.relay', kit.relayUrl, 'kit-relay'],
    ['kit.teamId', kit.teamId, 'kit-team'],
    ['kit.accountId', kit.accountId, 'kit-account'],
  ] as const;
  return (
    <div className="kit-card">
      <dl className="kit-fields">
        {teamName && (
          <div>
            <dt>{t('kit.team')}</dt>
            <dd data-testid="kit-team-name">{teamName}</dd>
          </div>
        )}
        <dt>{t('kit.secretKey')}</dt>
        <dd className="secret-key" data-testid="kit-secret">{kit.secretKey}</dd>
        <dd className="no-print"><CopyButton text={kit.secretKey} label={t('kit.copySecret')} /></dd>
        {rows.map(([label, value, id]) => (
          <div key={id}>
            <dt>{t(label)}</dt>
            <dd data-testid={id} className="mono">{value}</dd>
          </div>
        ))}
        <dt>{t('kit.passwordLine')}</dt>
        <dd className="write-in" aria-hidden="true" />
      </dl>
      <section className="kit-setup" aria-label={t('kit.setupCode')}>
        <h2>{t('kit.setupCode')}</h2>
        <div className="kit-setup-body">
          <QrImage text={setupCode} alt={t('kit.qrAlt')} size={176} />
          <div>
            <p className="muted">{t('kit.setupCodeHint')}</p>
            <p className="mono setup-code" data-testid="kit-setup-code">{setupCode}</p>
            <span className="no-print"><CopyButton text={setupCode} label={t('kit.copySetup')} /></span>
          </div>
        </div>
      </section>
      <div className="no-print kit-actions">
        <button type="button" className="primary" onClick={() => void savePdf()}>{t('kit.savePdf')}</button>
        <button type="button" onClick={() => window.print()}>{t('kit.printPage')}</button>
      </div>
      {saved === 'yes' && <p role="status" className="muted">{t('kit.pdfSaved')}</p>}
      {saved === 'failed' && <p role="alert" className="error">{t('error.INTERNAL')}</p>}
    </div>
  );
}

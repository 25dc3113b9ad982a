/** Shows a freshly created or rotated access code once: typed code, link, copy, local QR code. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import QRCode from 'qrcode';
import type { NewAccessCode } from '../../../core/vault-api.js';

export function NewCodeView({ created, onClose }: { created: NewAccessCode; onClose(): void }) {
  const { t } = useTranslation();
  const [qr, setQr] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    let live = true;
    QRCode.toDataURL(created.link, { errorCorrectionLevel: 'M', margin: 1, width: 192 })
      .then((url) => live && setQr(url))
      .catch(() => live && setQr(null));
    return () => {
      live = false;
    };
  }, [created.link]);
  const copy = async () => {
    await navigator.clipboard?.writeText(created.link).catch(() => undefined);
    setCopied(true);
  };
  return (
    <section className="card new-code" aria-label={t('share.newCode')}>
      <h3>{t('share.newCode')}</h3>
      <p className="muted">{t('share.newCodeHint')}</p>
      <p>
        <code className="access-code" data-testid="new-access-code">{created.code}</code>
      </p>
      <p>
        <code className="access-link" data-testid="new-access-link">{created.link}</code>
      </p>
      <div className="row">
        <button type="button" onClick={copy}>{copied ? t('share.copied') : t('share.copyLink')}</button>
        <button type="button" onClick={onClose}>{t('admin.close')}</button>
      </div>
      {qr && <img src={qr} alt={t('share.qr')} width={192} height={192} />}
    </section>
  );
}

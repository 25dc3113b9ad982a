/** Shows a freshly created or rotated access code once: typed code, link, copy buttons, local QR code. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import QRCode from 'qrcode';
import type { NewAccessCode } from '../../../core/vault-api.js';
import { copyThenClear } from '../../app/clipboard.js';
import { useServices } from '../../app/services.js';

type Copied = 'code' | 'link' | 'failed' | null;

export function NewCodeView({ created, onClose }: { created: NewAccessCode; onClose(): void }) {
  const { t } = useTranslation();
  const { platform, clipboardSeconds } = useServices();
  const [qr, setQr] = useState<string | null>(null);
  const [copied, setCopied] = useState<Copied>(null);
  useEffect(() => {
    let live = true;
    QRCode.toDataURL(created.link, { errorCorrectionLevel: 'M', margin: 1, width: 192 })
      .then((url) => live && setQr(url))
      .catch(() => live && setQr(null));
    return () => {
      live = false;
    };
  }, [created.link]);
  const copy = (what: 'code' | 'link') => {
    copyThenClear(platform.clipboard, what === 'code' ? created.code : created.link, clipboardSeconds)
      .then(() => setCopied(what), () => setCopied('failed'));
  };
  const seconds = clipboardSeconds;
  return (
    <section className="card new-code" aria-label={t('share.newCode')}>
      <h3>{t('share.newCode')}</h3>
      <p className="muted">{t('share.newCodeHint')}</p>
      <p>
        <code className="access-code" data-testid="new-access-code">{created.code}</code>
      </p>
      <p className="muted small">{t('share.codeReadAloud')}</p>
      <p>
        <code className="access-link" data-testid="new-access-link">{created.link}</code>
      </p>
      <div className="row">
        <button type="button" onClick={() => copy('code')}>{copied === 'code' ? t('share.copied') : t('share.copyCode')}</button>
        <button type="button" onClick={() => copy('link')}>{copied === 'link' ? t('share.copied') : t('share.copyLink')}</button>
        <button type="button" onClick={onClose}>{t('admin.close')}</button>
      </div>
      <p className="muted small" role="status" data-testid="copy-status">
        {copied === 'failed' ? t('share.copyFailed') : copied ? t('share.clipboardClears', { count: seconds }) : ''}
      </p>
      {qr && <img src={qr} alt={t('share.qr')} width={192} height={192} />}
    </section>
  );
}

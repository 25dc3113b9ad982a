/** A QR code of `text`, drawn locally by the `qrcode` package (no network), as an image with a name. */
import { useEffect, useState } from 'react';
import QRCode from 'qrcode';

export function QrImage({ text, alt, size = 192 }: { text: string; alt: string; size?: number }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    QRCode.toDataURL(text, { errorCorrectionLevel: 'M', margin: 1, width: size })
      .then((u) => live && setUrl(u))
      .catch(() => live && setUrl(null)); // too long for a QR code: the link and code are shown anyway
    return () => {
      live = false;
    };
  }, [text, size]);
  return url ? <img src={url} alt={alt} width={size} height={size} /> : null;
}

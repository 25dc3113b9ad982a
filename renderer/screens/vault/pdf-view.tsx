/**
 * PDF preview from memory with pdfjs-dist (its worker is bundled locally by Vite, never a CDN).
 * One page at a time on a canvas; nothing is written to disk.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ChevronLeft, ChevronRight } from 'lucide-react';
import type { PDFDocumentProxy } from 'pdfjs-dist';

async function loadPdf(bytes: Uint8Array): Promise<PDFDocumentProxy> {
  const pdfjs = await import('pdfjs-dist');
  const worker = await import('pdfjs-dist/build/pdf.worker.min.mjs?url');
  pdfjs.GlobalWorkerOptions.workerSrc = worker.default;
  // pdf.js takes ownership of the buffer it is given: hand it a copy.
  return pdfjs.getDocument({ data: bytes.slice(), isEvalSupported: false, disableAutoFetch: true, stopAtErrors: false }).promise;
}

export function PdfView({ bytes, name }: { bytes: Uint8Array; name: string }) {
  const { t } = useTranslation();
  const canvas = useRef<HTMLCanvasElement>(null);
  const [doc, setDoc] = useState<PDFDocumentProxy | null>(null);
  const [page, setPage] = useState(1);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let alive = true;
    let loaded: PDFDocumentProxy | null = null;
    loadPdf(bytes).then((d) => {
      loaded = d;
      if (alive) setDoc(d);
      else void d.destroy();
    }, () => alive && setFailed(true));
    return () => {
      alive = false;
      void loaded?.destroy();
    };
  }, [bytes]);

  useEffect(() => {
    if (!doc || !canvas.current) return;
    let cancelled = false;
    void doc.getPage(page).then((p) => {
      if (cancelled || !canvas.current) return;
      const viewport = p.getViewport({ scale: 1.3 });
      const c = canvas.current;
      c.width = viewport.width;
      c.height = viewport.height;
      return p.render({ canvas: c, canvasContext: c.getContext('2d')!, viewport }).promise;
    });
    return () => {
      cancelled = true;
    };
  }, [doc, page]);

  if (failed) return <p className="form-error" role="alert">{t('error.BAD_FORMAT')}</p>;
  if (!doc) return <p className="muted">{t('file.loading')}</p>;
  return (
    <div className="pdf-view">
      <div className="pdf-controls">
        <button type="button" onClick={() => setPage((n) => Math.max(1, n - 1))} disabled={page <= 1}><ChevronLeft className="icon" size={16} aria-hidden="true" />{t('file.prevPage')}</button>
        <span className="page-of" aria-live="polite">{t('file.page', { page, pages: doc.numPages })}</span>
        <button type="button" onClick={() => setPage((n) => Math.min(doc.numPages, n + 1))} disabled={page >= doc.numPages}>{t('file.nextPage')}<ChevronRight className="icon" size={16} aria-hidden="true" /></button>
      </div>
      <canvas ref={canvas} role="img" aria-label={name} />
    </div>
  );
}

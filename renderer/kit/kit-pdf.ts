/**
 * The emergency kit as a one-page A4 PDF, made in memory on this machine (pdf-writer.ts): team,
 * server, team id, account id, the Secret Key, a blank field for the password written by hand,
 * and the setup code as QR (vector squares) and as text. Nothing is fetched or sent.
 */
import QRCode from 'qrcode';
import type { EmergencyKit } from '../../core/vault-api.js';
import { PdfPage, pdfDocument, textWidth, wrapText, type PdfFont } from './pdf-writer.js';

export interface KitPdfWords {
  title: string;
  intro: string;
  team: string;
  relay: string;
  teamId: string;
  accountId: string;
  secretKey: string;
  password: string;
  passwordHint: string;
  setupCode: string;
  setupCodeHint: string;
  footer: string;
}

const MARGIN = 56;

/** Draws the QR code of `text` with its top-left corner at (x, top), `size` points wide. */
function drawQr(page: PdfPage, text: string, x: number, top: number, size: number): void {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = modules.size;
  const cell = size / (n + 2); // one module of quiet zone each side inside `size`
  for (let r = 0; r < n; r++) {
    let c = 0;
    while (c < n) {
      if (!modules.get(r, c)) {
        c++;
        continue;
      }
      const start = c;
      while (c < n && modules.get(r, c)) c++;
      page.fillRect(x + (start + 1) * cell, top - (r + 2) * cell, (c - start) * cell, cell);
    }
  }
}

/** The kit PDF's bytes. `teamName` may be '' (a join still waiting for an admin). */
export function emergencyKitPdf(kit: EmergencyKit, teamName: string, setupCode: string, words: KitPdfWords): Uint8Array {
  const page = new PdfPage();
  const width = page.width - 2 * MARGIN;
  let y = page.height - MARGIN - 10;
  page.text(MARGIN, y, words.title, 'sans-bold', 22);
  y -= 26;
  for (const line of wrapText(words.intro, 'sans', 10.5, width)) {
    page.text(MARGIN, y, line, 'sans', 10.5, 0.2);
    y -= 14;
  }
  y -= 10;
  const field = (label: string, value: string, font: PdfFont, size: number) => {
    page.text(MARGIN, y, label, 'sans', 9, 0.4);
    y -= size + 5;
    for (const line of wrapText(value, font, size, width)) {
      page.text(MARGIN, y, line, font, size);
      y -= size + 3;
    }
    y -= 10;
  };
  if (teamName) field(words.team, teamName, 'sans-bold', 13);
  field(words.relay, kit.relayUrl, 'mono', 11);
  field(words.teamId, kit.teamId, 'mono', 11);
  field(words.accountId, kit.accountId, 'mono', 11);
  // The Secret Key in a box: the one thing on this page nobody else has.
  const skSize = textWidth(kit.secretKey, 'mono-bold', 15) > width - 20 ? 12 : 15;
  page.text(MARGIN, y, words.secretKey, 'sans', 9, 0.4);
  y -= 8;
  page.strokeRect(MARGIN, y - skSize - 14, width, skSize + 14, 0, 1.2);
  page.text(MARGIN + 10, y - skSize - 4, kit.secretKey, 'mono-bold', skSize);
  y -= skSize + 34;
  page.text(MARGIN, y, words.password, 'sans', 9, 0.4);
  y -= 8;
  page.strokeRect(MARGIN, y - 30, width, 30, 0.5);
  y -= 44;
  page.text(MARGIN, y, words.passwordHint, 'sans', 9, 0.4);
  y -= 30;
  page.line(MARGIN, y + 12, MARGIN + width, y + 12, 0.8, 0.5);
  page.text(MARGIN, y - 6, words.setupCode, 'sans-bold', 13);
  y -= 16;
  const qr = 150;
  drawQr(page, setupCode, MARGIN, y, qr);
  const textX = MARGIN + qr + 16;
  let ty = y - 14;
  for (const line of wrapText(words.setupCodeHint, 'sans', 9.5, width - qr - 16)) {
    page.text(textX, ty, line, 'sans', 9.5, 0.2);
    ty -= 13;
  }
  ty -= 8;
  // The code's groups, a few per line, in a typist-friendly monospace.
  const groups = setupCode.split('-');
  const perLine = Math.max(1, Math.floor((width - qr - 16) / textWidth('XXXXX-', 'mono', 10)));
  for (let i = 0; i < groups.length; i += perLine) {
    const last = i + perLine >= groups.length;
    page.text(textX, ty, groups.slice(i, i + perLine).join('-') + (last ? '' : '-'), 'mono', 10);
    ty -= 13;
  }
  y = Math.min(y - qr, ty) - 20;
  for (const line of wrapText(words.footer, 'sans', 8.5, width)) {
    page.text(MARGIN, Math.max(y, MARGIN - 20), line, 'sans', 8.5, 0.45);
    y -= 11;
  }
  return pdfDocument([page], { title: words.title });
}

/**
 * A minimal PDF 1.4 writer for one-page documents of text, rectangles and lines — all the
 * emergency kit needs. Why our own and not a library: the kit must be made on this machine with
 * no network and no font files, and its text must stay greppable (an e2e test reads the bytes).
 * The PDF standard fonts (Helvetica, Helvetica-Bold, Courier, Courier-Bold) need no embedding;
 * content streams are left uncompressed; the QR code is drawn as vector squares. pdf-lib would
 * add ~500 KB, hex-encode every string and has had no release since 2021.
 *
 * Text is encoded in WinAnsiEncoding (Latin-1 plus „“”‘’–—…€•), so German is complete; a
 * character outside it prints as '?'. The output is plain ASCII (non-ASCII bytes as octal
 * escapes). Coordinates are PDF points (1/72 inch), origin bottom left.
 */

export type PdfFont = 'sans' | 'sans-bold' | 'mono' | 'mono-bold';

const FONTS: Record<PdfFont, { res: string; base: string }> = {
  sans: { res: 'F1', base: 'Helvetica' },
  'sans-bold': { res: 'F2', base: 'Helvetica-Bold' },
  mono: { res: 'F3', base: 'Courier' },
  'mono-bold': { res: 'F4', base: 'Courier-Bold' },
};

/** Unicode → WinAnsi byte for the characters above 0x7F that are not Latin-1 at the same code. */
const WIN_ANSI_EXTRA: Record<string, number> = {
  '€': 0x80, '‚': 0x82, '„': 0x84, '…': 0x85, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '•': 0x95, '–': 0x96, '—': 0x97,
};

/** Helvetica advance widths (1/1000 em) for ASCII 32..126; others count as 556. */
const HELVETICA = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
  1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
  333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];

/** Width of `text` in points at `size` (Courier: 600/1000 em; bold Helvetica counted as regular + 5%). */
export function textWidth(text: string, font: PdfFont, size: number): number {
  if (font === 'mono' || font === 'mono-bold') return text.length * 0.6 * size;
  let w = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    w += c >= 32 && c <= 126 ? HELVETICA[c - 32]! : 556;
  }
  return (w / 1000) * size * (font === 'sans-bold' ? 1.05 : 1);
}

/** Splits `text` into lines no wider than `width` points (breaking at spaces; long words stay whole). */
export function wrapText(text: string, font: PdfFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (line && textWidth(next, font, size) > width) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

/** A PDF string literal `( … )` in WinAnsi, ASCII only. */
export function pdfString(text: string): string {
  let out = '(';
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    const byte = c >= 0x20 && c <= 0x7e ? c : c >= 0xa0 && c <= 0xff ? c : (WIN_ANSI_EXTRA[ch] ?? 0x3f);
    if (byte === 0x28 || byte === 0x29 || byte === 0x5c) out += `\\${String.fromCharCode(byte)}`;
    else if (byte < 0x80) out += String.fromCharCode(byte);
    else out += `\\${byte.toString(8).padStart(3, '0')}`;
  }
  return `${out})`;
}

const num = (n: number) => (Math.round(n * 100) / 100).toString();

/** One page's drawing operations. */
export class PdfPage {
  readonly ops: string[] = [];
  constructor(readonly width = 595.28, readonly height = 841.89) {}

  /** Text with its baseline at (x, y); `grey` 0 = black … 1 = white. */
  text(x: number, y: number, text: string, font: PdfFont, size: number, grey = 0): this {
    this.ops.push(`BT ${num(grey)} g /${FONTS[font].res} ${num(size)} Tf ${num(x)} ${num(y)} Td ${pdfString(text)} Tj ET`);
    return this;
  }

  /** A filled rectangle (x, y bottom left). */
  fillRect(x: number, y: number, w: number, h: number, grey = 0): this {
    this.ops.push(`${num(grey)} g ${num(x)} ${num(y)} ${num(w)} ${num(h)} re f`);
    return this;
  }

  /** An outlined rectangle. */
  strokeRect(x: number, y: number, w: number, h: number, grey = 0, lineWidth = 0.8): this {
    this.ops.push(`${num(grey)} G ${num(lineWidth)} w ${num(x)} ${num(y)} ${num(w)} ${num(h)} re S`);
    return this;
  }

  line(x1: number, y1: number, x2: number, y2: number, grey = 0, lineWidth = 0.8): this {
    this.ops.push(`${num(grey)} G ${num(lineWidth)} w ${num(x1)} ${num(y1)} m ${num(x2)} ${num(y2)} l S`);
    return this;
  }
}

/** Serialises pages into a PDF file (ASCII bytes, uncompressed, with a correct xref table). */
export function pdfDocument(pages: PdfPage[], info: { title: string }): Uint8Array {
  const objects: string[] = [];
  const add = (body: string) => objects.push(body); // object n is objects[n - 1]
  const fontIds = Object.values(FONTS).map((f) => add(`<< /Type /Font /Subtype /Type1 /BaseFont /${f.base} /Encoding /WinAnsiEncoding >>`));
  const fontRes = Object.values(FONTS).map((f, i) => `/${f.res} ${fontIds[i]} 0 R`).join(' ');
  const pagesId = objects.length + 1 + pages.length * 2;
  const pageIds: number[] = [];
  for (const p of pages) {
    const content = p.ops.join('\n');
    const contentId = add(`<< /Length ${content.length} >>\nstream\n${content}\nendstream`);
    pageIds.push(add(`<< /Type /Page /Parent ${pagesId} 0 R /MediaBox [0 0 ${num(p.width)} ${num(p.height)}] /Resources << /Font << ${fontRes} >> >> /Contents ${contentId} 0 R >>`));
  }
  add(`<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pages.length} >>`);
  const catalogId = add(`<< /Type /Catalog /Pages ${pagesId} 0 R >>`);
  const infoId = add(`<< /Title ${pdfString(info.title)} /Producer (Truhe) >>`);

  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root ${catalogId} 0 R /Info ${infoId} 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  const bytes = new Uint8Array(out.length);
  for (let i = 0; i < out.length; i++) bytes[i] = out.charCodeAt(i);
  return bytes;
}

/**
 * The emergency kit PDF (renderer/kit/): a real PDF reader (pdfjs-dist) opens the bytes and
 * finds every field's text; the file is plain ASCII with a correct xref table, strings are
 * escaped, and German words survive in WinAnsi.
 */
import { describe, expect, it } from 'vitest';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { emergencyKitPdf, type KitPdfWords } from '../../../renderer/kit/kit-pdf.js';
import { pdfString, wrapText } from '../../../renderer/kit/pdf-writer.js';

const kit = { relayUrl: 'wss://relay.kanzlei-muster.de', teamId: 'AAECAwQFBgcICQoLDA0ODw', accountId: '8PHy8_T19vf4-fr7_P3-_w', secretKey: 'A3-ABCDEF-GHJKMN-PQRST-VWXYZ-01234-56789' };
const setupCode = 'TRS1-00000-11111-22222-33333-44444-55555-66666-77777-88888-99999-AAAAA-BBBBB-CCCCC';
const words: KitPdfWords = {
  title: 'Ihr Notfall-Kit', intro: 'Bewahren Sie diese Seite sicher auf (nicht digital). Größe, Übergröße — „Anführung“.', team: 'Team', relay: 'Server',
  teamId: 'Team-ID', accountId: 'Konto-ID', secretKey: 'Geheimschlüssel', password: 'Passwort', passwordHint: 'Von Hand eintragen.',
  setupCode: 'Einrichtungscode', setupCodeHint: 'Scannen oder einfügen.', footer: 'Auf diesem Gerät erstellt.',
};

async function pdfText(bytes: Uint8Array): Promise<string> {
  const doc = await getDocument({ data: bytes.slice(), useSystemFonts: false, disableFontFace: true, isEvalSupported: false, verbosity: 0 }).promise;
  expect(doc.numPages).toBe(1);
  const content = await (await doc.getPage(1)).getTextContent();
  return content.items.map((i) => ('str' in i ? i.str : '')).join('\n');
}

describe('emergency kit PDF', () => {
  it('is a PDF a real reader opens, with every field of the kit as text', async () => {
    const bytes = emergencyKitPdf(kit, 'Kanzlei Müller & Söhne (Köln)', setupCode, words);
    const ascii = new TextDecoder().decode(bytes);
    expect(ascii.startsWith('%PDF-1.4\n')).toBe(true);
    expect([...bytes].every((b) => b < 0x80)).toBe(true);
    expect(ascii).toContain(`(${kit.secretKey}) Tj`); // uncompressed: the e2e test greps for it
    const text = await pdfText(bytes);
    for (const s of [kit.secretKey, kit.relayUrl, kit.teamId, kit.accountId, 'Kanzlei Müller & Söhne (Köln)', 'Ihr Notfall-Kit', 'Geheimschlüssel', 'TRS1-00000-11111']) expect(text).toContain(s);
    expect(text).toContain('„Anführung“');
  });

  it('keeps a correct xref table (every offset points at its object)', () => {
    const ascii = new TextDecoder().decode(emergencyKitPdf(kit, '', setupCode, words));
    const startxref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(ascii)![1]);
    expect(ascii.slice(startxref, startxref + 4)).toBe('xref');
    const rows = ascii.slice(startxref).split('\n').slice(3).filter((l) => / n $/.test(l));
    expect(rows.length).toBeGreaterThan(6);
    rows.forEach((row, i) => expect(ascii.slice(Number(row.slice(0, 10))).startsWith(`${i + 1} 0 obj\n`)).toBe(true));
  });

  it('escapes parentheses and backslashes, encodes German letters in WinAnsi, and marks the rest with ?', () => {
    expect(pdfString('a(b)c\\d')).toBe('(a\\(b\\)c\\\\d)');
    expect(pdfString('Grüße')).toBe('(Gr\\374\\337e)');
    expect(pdfString('„x“ – €')).toBe('(\\204x\\223 \\226 \\200)');
    expect(pdfString('日本')).toBe('(??)');
  });

  it('wraps text at the width and never drops a word', () => {
    const text = 'one two three four five six seven eight nine ten eleven twelve';
    const lines = wrapText(text, 'sans', 10, 60);
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.join(' ')).toBe(text);
  });
});

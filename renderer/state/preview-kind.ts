/** Which in-app preview a file gets, and reading a decrypted stream into memory for it. */
import type { Preview } from './vault-data.js';

export type PreviewKind = 'image' | 'pdf' | 'text' | 'none';

const TEXT_EXT = /\.(txt|md|csv|json|log|xml|ya?ml)$/i;
const IMAGE_MIME = /^image\/(png|jpeg|gif|webp|bmp|avif)$/;

export function previewKind(mime: string, name: string): PreviewKind {
  if (IMAGE_MIME.test(mime)) return 'image';
  if (mime === 'application/pdf' || /\.pdf$/i.test(name)) return 'pdf';
  if (mime.startsWith('text/') || mime === 'application/json' || TEXT_EXT.test(name)) return 'text';
  return 'none';
}

/** Reads a whole stream into one buffer (previews only; exports stream through). */
export async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  const reader = stream.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    parts.push(value);
    total += value.byteLength;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** The preview of decrypted `bytes` (an image gets an object URL: revoke it when done). */
export function buildPreview(item: string, name: string, mime: string, bytes: Uint8Array): Preview {
  const kind = previewKind(mime, name);
  if (kind === 'image') return { item, name, mime, kind, url: URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mime })) };
  if (kind === 'text') return { item, name, mime, kind, text: new TextDecoder().decode(bytes) };
  if (kind === 'pdf') return { item, name, mime, kind, bytes };
  return { item, name, mime, kind };
}

/**
 * The Content-Security-Policy of every page main serves (R16: no remote scripts, fonts or
 * CDNs; the only network peer is the configured relay).
 *
 * `'wasm-unsafe-eval'` lets libsodium and pdf.js compile WebAssembly; it does not allow
 * eval() or new Function(). blob: is allowed for images and media only, because in-app
 * previews show decrypted bytes from memory (R6) without writing them to disk.
 */
import { relayOrigin } from './relay-origin.js';

export function cspDirectives(relayUrl: string): Record<string, string[]> {
  return {
    'default-src': ["'none'"],
    'script-src': ["'self'", "'wasm-unsafe-eval'"],
    'style-src': ["'self'"],
    'img-src': ["'self'", 'blob:', 'data:'],
    'media-src': ["'self'", 'blob:'],
    'font-src': ["'self'"],
    'connect-src': ["'self'", relayOrigin(relayUrl)],
    'worker-src': ["'self'"],
    'manifest-src': ["'self'"],
    'object-src': ["'none'"],
    'frame-src': ["'none'"],
    'child-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    'frame-ancestors': ["'none'"],
  };
}

/** The header value; throws RelayUrlError when the relay URL is not acceptable. */
export function contentSecurityPolicy(relayUrl: string): string {
  return Object.entries(cspDirectives(relayUrl))
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ');
}

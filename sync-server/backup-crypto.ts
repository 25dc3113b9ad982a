/**
 * Backup files encrypted to the operator's X25519 key, so a copy on a second disk or another
 * site is unreadable without the operator's secret key (kept off the relay host). The
 * construction is age's (X25519 recipient + HKDF-SHA256 + ChaCha20-Poly1305 STREAM), built
 * from node:crypto because the relay imports no libsodium (layer rule, scripts/check-boundaries.js):
 *
 *   file  = "TRBK0002" ‖ ephemeral X25519 public key (32) ‖ chunk*
 *   key   = HKDF-SHA256(X25519(eph, operator), salt = eph_pk ‖ operator_pk, info = "truhe-relay-backup/2\0" ‖ name)
 *   chunk = ChaCha20-Poly1305(key, nonce = 11-byte big-endian index ‖ last?1:0, aad = name) of ≤ 1 MiB; tag appended
 *
 * A fresh ephemeral key per file gives every file its own key (the counter nonce never repeats
 * under a key); the file name is bound (files cannot be swapped); the last-chunk flag makes a
 * truncated file fail to decrypt.
 */
import { createCipheriv, createDecipheriv, createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, hkdfSync, type KeyObject } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';

const MAGIC = Buffer.from('TRBK0002');
const CHUNK = 1024 * 1024;
const TAG = 16;
const SPKI = Buffer.from('302a300506032b656e032100', 'hex');
const PKCS8 = Buffer.from('302e020100300506032b656e04220420', 'hex');
const PUB_PREFIX = 'TRUHE-BACKUP-PUBLIC-KEY-1 ';
const SEC_PREFIX = 'TRUHE-BACKUP-SECRET-KEY-1 ';

const raw = (k: KeyObject, type: 'spki' | 'pkcs8') => (k.export({ format: 'der', type }) as Buffer).subarray(-32);
const pubKey = (b: Buffer) => createPublicKey({ key: Buffer.concat([SPKI, b]), format: 'der', type: 'spki' });

/** A new operator key pair as the two key-file texts (public: on the relay host; secret: off it). */
export function newBackupKeyPair(): { publicText: string; secretText: string } {
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  return {
    publicText: `${PUB_PREFIX}${raw(publicKey, 'spki').toString('base64url')}\n`,
    secretText: `${SEC_PREFIX}${raw(privateKey, 'pkcs8').toString('base64url')}\n`,
  };
}

function parseKey(text: string, prefix: string, what: string): Buffer {
  const t = text.trim();
  const b = t.startsWith(prefix) ? Buffer.from(t.slice(prefix.length), 'base64url') : null;
  if (!b || b.length !== 32) throw new Error(`backup: not a truhe backup ${what} key file`);
  return b;
}
export const parsePublicKey = (text: string) => parseKey(text, PUB_PREFIX, 'public');
export const parseSecretKey = (text: string) => parseKey(text, SEC_PREFIX, 'secret');

function fileKey(shared: Buffer, eph: Buffer, recipient: Buffer, name: string): Buffer {
  return Buffer.from(hkdfSync('sha256', shared, Buffer.concat([eph, recipient]), Buffer.from(`truhe-relay-backup/2\0${name}`), 32));
}
function nonce(i: number, last: boolean): Buffer {
  const n = Buffer.alloc(12);
  n.writeUIntBE(i, 5, 6);
  n[11] = last ? 1 : 0;
  return n;
}

/** Encrypts file `src` to `dest` for `recipient` (32-byte X25519 public key); `name` is bound. */
export function encryptFile(src: string, dest: string, name: string, recipient: Buffer): void {
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  const eph = raw(publicKey, 'spki');
  const key = fileKey(diffieHellman({ privateKey, publicKey: pubKey(recipient) }), eph, recipient, name);
  const inFd = openSync(src, 'r');
  const outFd = openSync(dest, 'wx', 0o600);
  try {
    writeSync(outFd, Buffer.concat([MAGIC, eph]));
    const size = fstatSync(inFd).size;
    const buf = Buffer.alloc(CHUNK);
    let pos = 0;
    for (let i = 0; ; i++) {
      const n = readSync(inFd, buf, 0, CHUNK, pos);
      pos += n;
      const last = pos >= size;
      const c = createCipheriv('chacha20-poly1305', key, nonce(i, last), { authTagLength: TAG });
      c.setAAD(Buffer.from(name), { plaintextLength: n });
      writeSync(outFd, Buffer.concat([c.update(buf.subarray(0, n)), c.final(), c.getAuthTag()]));
      if (last) break;
    }
  } finally {
    closeSync(inFd);
    closeSync(outFd);
  }
}

/** Decrypts `src` (made by encryptFile for `name`) to `dest` with the operator's 32-byte secret key; throws if it was altered, cut or is not for this key. */
export function decryptFile(src: string, dest: string, name: string, secret: Buffer): void {
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8, secret]), format: 'der', type: 'pkcs8' });
  const recipient = raw(createPublicKey(privateKey), 'spki');
  const inFd = openSync(src, 'r');
  const outFd = openSync(dest, 'wx', 0o600);
  try {
    const head = Buffer.alloc(MAGIC.length + 32);
    if (readSync(inFd, head, 0, head.length, 0) !== head.length || !head.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error(`restore: ${name} is not an encrypted truhe backup file`);
    const eph = head.subarray(MAGIC.length);
    const key = fileKey(diffieHellman({ privateKey, publicKey: pubKey(eph) }), eph, recipient, name);
    const size = fstatSync(inFd).size;
    const buf = Buffer.alloc(CHUNK + TAG);
    let pos = head.length;
    for (let i = 0; ; i++) {
      const n = readSync(inFd, buf, 0, CHUNK + TAG, pos);
      pos += n;
      const last = pos >= size;
      if (n < TAG) throw new Error(`restore: ${name} is cut short`);
      const d = createDecipheriv('chacha20-poly1305', key, nonce(i, last), { authTagLength: TAG });
      d.setAAD(Buffer.from(name), { plaintextLength: n - TAG });
      d.setAuthTag(buf.subarray(n - TAG, n));
      try {
        writeSync(outFd, Buffer.concat([d.update(buf.subarray(0, n - TAG)), d.final()]));
      } catch {
        throw new Error(`restore: ${name} does not decrypt with this key (wrong key, altered or cut short)`);
      }
      if (last) break;
    }
  } finally {
    closeSync(inFd);
    closeSync(outFd);
  }
}

/**
 * Crypto throughput through the core (importFile / readFileStream) beside raw libsodium
 * XChaCha20-Poly1305 on the same chunk sizes and node:crypto's native chacha20-poly1305 (the
 * machine's limit), for 64 MiB and 1 GiB generated files (streamed; ciphertext chunks go to a
 * temp file, never whole in memory). Also: peak RSS while importing the largest file, and the
 * Argon2id unlock time at the production floor (run last: its 256 MiB of WASM memory stays).
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ready, sodium } from '../core/crypto/sodium.js';
import { randomBytes } from '../core/crypto/random.js';
import { deriveUnlockKey, KDF_FLOOR, newKdfParams } from '../core/crypto/kdf.js';
import { newSignKeyPair, randomKey } from '../core/crypto/keys.js';
import { DEFAULT_CHUNK_SIZE } from '../core/crypto/stream.js';
import { importFile, openFileRecord, readFileStream } from '../core/model/file.js';
import { newShareKey } from '../core/model/share-keys.js';
import { newSecretKey } from '../core/model/secret-key.js';
import { newId, type ItemId, type ShareId, type TeamId } from '../core/ids.js';
import type { SignPublicKey } from '../core/crypto/key-types.js';
import type { BenchOptions, BenchRow } from './run.js';

const MiB = 1024 * 1024;
const CHUNK = DEFAULT_CHUNK_SIZE;

function* source(total: number, block: Uint8Array): Generator<Uint8Array> {
  for (let done = 0; done < total; done += block.length) yield done + block.length <= total ? block : block.subarray(0, total - done);
}

const mbps = (bytes: number, ms: number) => bytes / MiB / (ms / 1000);

async function coreRoundTrip(total: number, block: Uint8Array) {
  const team = newId<TeamId>(); const share = newId<ShareId>(); const signer = newSignKeyPair(); const shareKey = newShareKey();
  const author = { kind: 'account' as const, id: newId() };
  const path = join(tmpdir(), `truhe-bench-${process.pid}-${total}.bin`);
  const fd = openSync(path, 'w+');
  const offsets = new Map<string, [number, number]>();
  let pos = 0;
  let peakRss = process.memoryUsage().rss;
  const baseRss = peakRss;
  try {
    const t0 = performance.now();
    const { envelope } = await importFile({ team, share, item: newId<ItemId>(), version: 1, baseVersion: 0, epoch: 0, shareKey, author, authorKey: signer.secretKey },
      source(total, block), { name: 'bench.bin', mime: 'application/octet-stream', updatedAt: Date.now() }, (c) => {
        writeSync(fd, c.bytes, 0, c.bytes.length, pos);
        offsets.set(c.hash, [pos, c.bytes.length]);
        pos += c.bytes.length;
        if ((c.index & 15) === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
      });
    const encMs = performance.now() - t0;
    const opened = await openFileRecord({ team, share, shareKeyFor: () => shareKey, resolveAuthorKey: () => signer.publicKey as SignPublicKey }, envelope);
    const t1 = performance.now();
    let n = 0;
    const stream = readFileStream(opened, async (_i, hash) => {
      const [off, len] = offsets.get(hash)!;
      const buf = new Uint8Array(len);
      readSync(fd, buf, 0, len, off);
      return buf;
    });
    for await (const p of stream as unknown as AsyncIterable<Uint8Array>) n += p.length;
    const decMs = performance.now() - t1;
    if (n !== total) throw new Error(`crypto-bench: decrypted ${n} of ${total} bytes`);
    return { encMs, decMs, peakRss, baseRss };
  } finally {
    closeSync(fd);
    rmSync(path, { force: true });
  }
}

function rawSodium(total: number, block: Uint8Array) {
  const s = sodium(); const key = randomKey<Uint8Array>(); const nonce = randomBytes(24);
  const chunks = Math.ceil(total / CHUNK);
  const t0 = performance.now();
  let ct = block;
  for (let i = 0; i < chunks; i++) { nonce[20] = i & 255; ct = s.crypto_aead_xchacha20poly1305_ietf_encrypt(block, null, null, nonce, key); }
  const encMs = performance.now() - t0;
  const t1 = performance.now();
  for (let i = 0; i < chunks; i++) s.crypto_aead_xchacha20poly1305_ietf_decrypt(null, ct, null, nonce, key);
  return { encMs, decMs: performance.now() - t1 };
}

function rawNative(total: number, block: Uint8Array) {
  const key = randomBytes(32); const nonce = randomBytes(12);
  const chunks = Math.ceil(total / CHUNK);
  const t0 = performance.now();
  let ct = Buffer.alloc(0); let tag = Buffer.alloc(0);
  for (let i = 0; i < chunks; i++) {
    nonce[11] = i & 255;
    const c = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
    ct = Buffer.concat([c.update(block), c.final()]); tag = c.getAuthTag();
  }
  const encMs = performance.now() - t0;
  const t1 = performance.now();
  for (let i = 0; i < chunks; i++) {
    const d = createDecipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
    d.setAuthTag(tag); d.update(ct); d.final();
  }
  return { encMs, decMs: performance.now() - t1 };
}

export async function run(opts: BenchOptions): Promise<BenchRow[]> {
  await ready();
  const rows: BenchRow[] = [];
  const row = (name: string, value: number, unit: string, note?: string) => rows.push({ bench: 'crypto', name, value, unit, ...(note ? { note } : {}) });
  const block = randomBytes(CHUNK);
  const sizes = opts.quick ? [64 * MiB] : [64 * MiB, 1024 * MiB];
  for (const total of sizes) {
    const label = total >= 1024 * MiB ? '1 GiB' : `${total / MiB} MiB`;
    const core = await coreRoundTrip(total, block);
    const raw = rawSodium(total, block);
    const nat = rawNative(total, block);
    const [ce, cd, re, rd, ne, nd] = [mbps(total, core.encMs), mbps(total, core.decMs), mbps(total, raw.encMs), mbps(total, raw.decMs), mbps(total, nat.encMs), mbps(total, nat.decMs)];
    row(`file encrypt via core (${label})`, ce, 'MB/s', `${(ce / re).toFixed(2)}× raw libsodium, ${(ce / ne).toFixed(2)}× native`);
    row(`file decrypt via core (${label})`, cd, 'MB/s', `${(cd / rd).toFixed(2)}× raw libsodium, ${(cd / nd).toFixed(2)}× native`);
    row(`raw libsodium xchacha20poly1305 encrypt (${label})`, re, 'MB/s', '1 MiB chunks');
    row(`raw libsodium xchacha20poly1305 decrypt (${label})`, rd, 'MB/s', '1 MiB chunks');
    row(`node:crypto chacha20-poly1305 encrypt (${label})`, ne, 'MB/s', 'native limit');
    row(`node:crypto chacha20-poly1305 decrypt (${label})`, nd, 'MB/s', 'native limit');
    row(`peak RSS while importing ${label}`, core.peakRss / MiB, 'MiB', `baseline ${(core.baseRss / MiB).toFixed(0)} MiB`);
  }
  const params = newKdfParams(KDF_FLOOR);
  const t0 = performance.now();
  deriveUnlockKey('correct horse battery staple', newSecretKey(), params);
  row('Argon2id unlock (ops 3, 256 MiB)', performance.now() - t0, 'ms', 'production floor, single run');
  return rows;
}

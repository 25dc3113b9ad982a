/**
 * R4 canary with the real vault core: notes and a file sealed by core/model carry a unique
 * marker (title, body, file name, file content); after pushing them through a real relay
 * process, neither the data directory nor the relay's logs contain the marker in any encoding.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { dataFiles } from './helpers/data-dir.js';
import { afterAll, describe, expect, it } from 'vitest';
import { ready } from '../../../core/crypto/sodium.js';
import { newSignKeyPair } from '../../../core/crypto/keys.js';
import { newId as coreId, type ItemId, type ShareId, type TeamId } from '../../../core/ids.js';
import { sealNote } from '../../../core/model/note.js';
import { importFile } from '../../../core/model/file.js';
import { newShareKey } from '../../../core/model/share-keys.js';
import { createShare, createTeam, randomBytes } from './helpers/fixtures.js';
import { startProcess, tempDir } from './helpers/relay-harness.js';

const dirs: string[] = [];
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

describe('R4 canary through the real core', () => {
  it('no plaintext marker reaches the relay data dir or logs', async () => {
    await ready();
    const dir = tempDir('canary');
    dirs.push(dir);
    const relay = await startProcess(dir, ['--log-level', 'debug']);
    try {
      const { c, team, owner } = await createTeam(relay.url);
      const log = await createShare(c, owner);
      const marker = `CANARY${randomBytes(6).toString('hex')}`;
      const signer = newSignKeyPair();
      const shareKey = newShareKey();
      const ctx = (item: string) => ({ team: team as TeamId, share: log.share as ShareId, item: item as ItemId, version: 1, baseVersion: 0, epoch: 0, shareKey, author: { kind: 'account' as const, id: owner.account }, authorKey: signer.secretKey });
      const note = sealNote(ctx(coreId()), { title: `${marker} title`, body: `${marker} body `.repeat(50), tags: [marker], updatedAt: Date.now() });
      expect(await c.request({ type: 'push', share: log.share, records: [note] })).toMatchObject({ type: 'ok' });
      const content = new TextEncoder().encode(`${marker} file content\n`.repeat(5000));
      const chunks: Promise<any>[] = [];
      const { envelope } = await importFile(ctx(coreId()), [content], { name: `${marker}.txt`, mime: 'text/plain', updatedAt: Date.now(), chunkSize: 64 * 1024 }, (ch) => { chunks.push(c.putChunk(log.share, ch.hash, ch.bytes)); });
      for (const a of await Promise.all(chunks)) expect(a.type).toBe('ok');
      expect(await c.request({ type: 'push', share: log.share, records: [envelope] })).toMatchObject({ type: 'ok' });
      const pulled = await c.request({ type: 'pull', share: log.share, since: 0 });
      expect(pulled.records).toHaveLength(2);
      c.close();
      await relay.stop();
      const needles = [marker, Buffer.from(marker).toString('base64'), Buffer.from(marker).toString('base64url'), Buffer.from(marker, 'utf16le').toString('latin1')].map((s) => Buffer.from(s, s.includes('\0') ? 'latin1' : 'utf8'));
      const haystacks = [...dataFiles(dir).map((f) => readFileSync(f)), Buffer.from(relay.stderr.join(''))];
      expect(haystacks.reduce((n, h) => n + h.length, 0)).toBeGreaterThan(64 * 1024);
      for (const h of haystacks) for (const n of needles) expect(h.includes(n)).toBe(false);
    } finally {
      if (relay.proc.exitCode === null) await relay.kill9();
    }
  });
});

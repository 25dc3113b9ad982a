/**
 * A client device in its own process, to be killed with SIGKILL by test/crash/crash.test.ts.
 * Usage: node --import tsx test/crash/child-client.ts <relayUrl> <push|upload|rotate> <count>
 * stdout protocol, one line each (JSON after the tag):
 *   KIT {kit, password, share}        first, once the team and share exist on the relay
 *   ACK {kind, item, version, sha}    after the relay acknowledged it (outbox drained)
 *   ROT {epoch}                        after a rotation's log entry + wraps were acknowledged
 *   DONE                               after the last operation
 * Everything is acknowledged only once `pending === 0` and the connection is online.
 */
import { createHash } from 'node:crypto';
import { simDevice, synced } from '../integration/sync/helpers/devices.js';
import { sessionOf } from '../../core/vault/api.js';
import { nextEntry } from '../../core/vault/membership.js';
import { keyCommit, newShareKey, wrapShareKeyForMember } from '../../core/model/share-keys.js';
import { fromB64url, toB64url } from '../../core/encoding.js';
import type { BoxPublicKey } from '../../core/crypto/key-types.js';
import type { ShareId } from '../../core/ids.js';

const [url, mode, countArg] = process.argv.slice(2);
const count = Number(countArg ?? 50);
const PW = 'crash test password';
const out = (tag: string, v?: unknown) => process.stdout.write(v === undefined ? `${tag}\n` : `${tag} ${JSON.stringify(v)}\n`);
const sha = (b: string | Uint8Array) => createHash('sha256').update(b).digest('hex');

const dev = simDevice(`crash-${process.pid}`);
const { vault, kit } = await dev.launcher.createTeam({ displayName: 'Owner', teamName: 'Firm', relayUrl: url!, password: PW, deviceName: 'crash' });
const share = (await vault.createShare('Crash')).id;
await synced(vault);
out('KIT', { kit, password: PW, share });

async function rotate(): Promise<number> {
  const s = sessionOf(vault);
  const state = await s.syncLog(share as ShareId);
  const key = newShareKey();
  const epoch = state.epoch + 1;
  const entry = nextEntry(share, state, s.keys.account, { t: 'epoch', epoch, keyCommit: toB64url(keyCommit(key, s.team, share as ShareId, epoch)) }, Date.now(), s.keys.sign.secretKey);
  const wraps = [...state.members.values()].map((m) => ({ epoch, to: { kind: 'account', id: m.account }, wrapped: toB64url(wrapShareKeyForMember(key, fromB64url(m.boxPk) as BoxPublicKey)) }));
  await s.conn.request({ type: 'log.append', share, entries: [entry], wraps });
  s.keyring.put(share as ShareId, epoch, key);
  await s.syncLog(share as ShareId);
  return epoch;
}

const notes: { item: string; version: number; body: string }[] = [];
if (mode === 'push') {
  for (let i = 0; i < count; i++) {
    const batch: typeof notes = [];
    for (let j = 0; j < 4; j++) {
      const prev = notes.length > 0 && j === 3 ? notes[(i * 7) % notes.length]! : undefined;
      const body = `note ${i}.${j} ${'x'.repeat(200 + ((i * 13 + j) % 500))}`;
      const item = await vault.saveNote(share, { title: `N${i}.${j}`, body, tags: [] }, prev?.item);
      const rec = { item, version: (prev?.version ?? 0) + 1, body };
      if (prev) Object.assign(prev, rec); else notes.push(rec);
      batch.push(rec);
    }
    await synced(vault);
    for (const n of batch) out('ACK', { kind: 'note', item: n.item, version: n.version, sha: sha(n.body) });
  }
} else if (mode === 'upload') {
  for (let i = 0; i < count; i++) {
    const bytes = new Uint8Array(2 * 1024 * 1024 + 4096 * i).map((_, k) => (k * (i + 3) + (k >> 9)) & 255);
    const item = await vault.importFile(share, { name: `f${i}.bin`, type: 'application/octet-stream', size: bytes.length, stream: () => new Blob([bytes]).stream() });
    await synced(vault);
    out('ACK', { kind: 'file', item, version: 1, sha: sha(bytes) });
  }
} else if (mode === 'rotate') {
  for (let j = 0; j < 8; j++) {
    const body = `rotating note ${j}`;
    notes.push({ item: await vault.saveNote(share, { title: `R${j}`, body, tags: [] }), version: 1, body });
  }
  await synced(vault);
  for (const n of notes) out('ACK', { kind: 'note', item: n.item, version: n.version, sha: sha(n.body) });
  for (let r = 0; r < count; r++) {
    out('ROT', { epoch: await rotate() });
    // re-encryption: every note gets a new version under the new epoch
    for (const n of notes) {
      n.body = `${n.body.split(' @')[0]} @${r}`;
      await vault.saveNote(share, { title: 'R', body: n.body, tags: [] }, n.item);
      n.version++;
      await synced(vault);
      out('ACK', { kind: 'note', item: n.item, version: n.version, sha: sha(n.body) });
    }
  }
}
out('DONE');
await vault.lock();
process.exit(0);

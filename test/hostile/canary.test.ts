/**
 * Canary sweep (R4, R5, R6): one scenario writes notes, a share name, a device name, file names
 * and file contents carrying a unique marker; adds a member through an access code; rotates the
 * share key and re-encrypts; deletes some of it. Then every byte is scanned for the marker —
 * the relay's whole data directory (SQLite files, WAL, anything else), the relay's logs
 * (stdout + stderr), every frame that crossed the wire, and every value in each client's local
 * store (fake-indexeddb, walked record by record) — in UTF-8, UTF-16, hex, and base64/base64url
 * at each byte alignment. The marker appears nowhere. (The Chromium profile's IndexedDB of the
 * real app is scanned by the UI engineer's e2e suite, test/e2e/.)
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relayAvailable } from '../integration/sync/helpers/relay.js';
import { synced, waitFor, type SimDevice } from '../integration/sync/helpers/devices.js';
import { acceptInvitation, addSecondAccount } from '../integration/sync/helpers/second-account.js';
import { sessionOf } from '../../core/vault/api.js';
import { nextEntry } from '../../core/vault/membership.js';
import { keyCommit, newShareKey, wrapShareKeyForMember } from '../../core/model/share-keys.js';
import { fromB64url, toB64url } from '../../core/encoding.js';
import type { BoxPublicKey } from '../../core/crypto/key-types.js';
import type { ShareId } from '../../core/ids.js';
import type { VaultApi } from '../../core/vault-api.js';
import { HostileRelay } from './harness.js';
import { device } from './util.js';
import { dataFiles } from '../integration/relay/helpers/data-dir.js';

const MARK = `CNRY${randomBytes(6).toString('hex')}`;

/** Byte patterns of the marker in every encoding a leak could take. */
function patterns(mark: string): { what: string; bytes: Buffer }[] {
  const out = [
    { what: 'utf8', bytes: Buffer.from(mark, 'utf8') },
    { what: 'utf8 lower', bytes: Buffer.from(mark.toLowerCase(), 'utf8') },
    { what: 'utf16le', bytes: Buffer.from(mark, 'utf16le') },
    { what: 'hex', bytes: Buffer.from(Buffer.from(mark).toString('hex')) },
  ];
  for (let pad = 0; pad < 3; pad++) {
    for (const enc of ['base64', 'base64url'] as const) {
      const s = Buffer.concat([Buffer.alloc(pad, 0x41), Buffer.from(mark)]).toString(enc).replace(/=+$/, '');
      const skip = Math.ceil((pad * 4) / 3);
      out.push({ what: `${enc}@${pad}`, bytes: Buffer.from(s.slice(skip, s.length - 2)) });
    }
  }
  return out;
}
const PATTERNS = patterns(MARK);

function hits(buf: Buffer): string[] {
  return PATTERNS.filter((p) => buf.indexOf(p.bytes) >= 0).map((p) => p.what);
}


/** Every value of every object store of a device's fake-indexeddb, as bytes. */
async function idbBytes(dev: SimDevice): Promise<{ rows: number; bytes: Buffer }> {
  const names = (await dev.idb.databases()).map((d) => d.name!).filter(Boolean);
  const parts: Buffer[] = [];
  let rows = 0;
  const walk = (v: unknown): void => {
    if (v == null) return;
    if (typeof v === 'string') parts.push(Buffer.from(v, 'utf8'));
    else if (typeof v === 'number' || typeof v === 'boolean') parts.push(Buffer.from(String(v)));
    else if (v instanceof ArrayBuffer) parts.push(Buffer.from(v));
    else if (ArrayBuffer.isView(v)) parts.push(Buffer.from(v.buffer, v.byteOffset, v.byteLength));
    else if (v instanceof Blob) throw new Error('Blob values are not expected in the store');
    else if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === 'object') for (const [k, x] of Object.entries(v)) { parts.push(Buffer.from(k)); walk(x); }
  };
  for (const name of names) {
    const db = await new Promise<IDBDatabase>((res, rej) => { const r = dev.idb.open(name); r.onsuccess = () => res(r.result); r.onerror = () => rej(r.error); });
    for (const store of [...db.objectStoreNames]) {
      const [keys, values] = await new Promise<[unknown[], unknown[]]>((res, rej) => {
        const tx = db.transaction(store, 'readonly');
        const k = tx.objectStore(store).getAllKeys();
        const v = tx.objectStore(store).getAll();
        tx.oncomplete = () => res([k.result as unknown[], v.result as unknown[]]);
        tx.onerror = () => rej(tx.error);
      });
      rows += values.length;
      walk(keys);
      walk(values);
    }
    db.close();
  }
  return { rows, bytes: Buffer.concat(parts) };
}

describe.skipIf(!relayAvailable)(`canary sweep: the marker never leaves plaintext form`, () => {
  let h: HostileRelay;
  let relayLog = '';
  let ownerDev: SimDevice, memberDev: SimDevice;
  let owner: VaultApi, member: VaultApi;
  let share: string;
  let keptFile: string;
  const fileBytes = Buffer.from(`${MARK} `.repeat(200_000)); // ~3.4 MB of marker text: several chunks

  beforeAll(async () => {
    h = await HostileRelay.start();
    h.relay.child.stdout?.on('data', (d: Buffer) => { relayLog += d.toString(); });
    h.relay.child.stderr?.on('data', (d: Buffer) => { relayLog += d.toString(); });
    ownerDev = device('canary-owner');
    owner = (await ownerDev.launcher.createTeam({ displayName: 'Owner', teamName: 'Firm', relayUrl: h.url, password: 'canary pw', deviceName: `Laptop ${MARK}` })).vault;
    share = (await owner.createShare(`Mandant ${MARK}`)).id;
    const n1 = await owner.saveNote(share, { title: `Titel ${MARK}`, body: `Text ${MARK} Text`, tags: [MARK] });
    const n2 = await owner.saveNote(share, { title: `Weg ${MARK}`, body: `gelöscht ${MARK}`, tags: [] });
    keptFile = await owner.importFile(share, { name: `${MARK}.txt`, type: 'text/plain', size: fileBytes.length, stream: () => new Blob([fileBytes]).stream() });
    const gone = await owner.importFile(share, { name: `gone-${MARK}.txt`, type: 'text/plain', size: 5000, stream: () => new Blob([Buffer.from(`${MARK}`.repeat(300))]).stream() });
    await synced(owner);
    memberDev = device('canary-member');
    await addSecondAccount(owner, share, memberDev, 'member canary pw');
    member = await memberDev.launcher.unlock('member canary pw');
    await acceptInvitation(member, share);
    await waitFor(member, async () => ((await member.listShares()).some((x) => x.id === share) ? true : undefined), 'member sees the share');
    // Online first: keys the member had not fetched before its lock come with the first connection
    // (a save while still connecting is refused with WRONG_KEY: no key for the share yet).
    await synced(member);
    await member.saveNote(share, { title: `Vom Mitglied ${MARK}`, body: MARK, tags: [] });
    // rotate and re-encrypt one note under the new epoch
    const s = sessionOf(owner);
    const st = await s.syncLog(share as ShareId);
    const key = newShareKey();
    const epoch = st.epoch + 1;
    await s.conn.request({
      type: 'log.append', share,
      entries: [nextEntry(share, st, s.keys.account, { t: 'epoch', epoch, keyCommit: toB64url(keyCommit(key, s.team, share as ShareId, epoch)) }, Date.now(), s.keys.sign.secretKey)],
      wraps: [...st.members.values()].map((m) => ({ epoch, to: { kind: 'account', id: m.account }, wrapped: toB64url(wrapShareKeyForMember(key, fromB64url(m.boxPk) as BoxPublicKey)) })),
    });
    await s.syncLog(share as ShareId);
    await owner.saveNote(share, { title: `Titel ${MARK}`, body: `Text ${MARK} neu`, tags: [MARK] }, n1);
    await owner.deleteItem(share, n2);
    await owner.deleteItem(share, gone);
    await synced(owner);
    await synced(member);
    // Both: "gone is not listed" alone also holds before the member pulled anything at all.
    await waitFor(member, async () => {
      const items = await member.listItems(share);
      return items.some((i) => i.id === keptFile) && !items.some((i) => i.id === gone) ? true : undefined;
    }, 'the file and the delete reached the member');
    // the member reads the big file (downloaded chunks land in its store too)
    const r = member.readFile(share, keptFile).getReader();
    while (!(await r.read()).done) { /* drain */ }
  });
  afterAll(async () => {
    await member?.lock().catch(() => undefined);
    await owner?.lock().catch(() => undefined);
    await h?.stop();
  });

  it('the scenario really used the marker (the devices read it back decrypted)', async () => {
    const items = await member.listItems(share);
    expect(items.filter((i) => i.title.includes(MARK)).length).toBeGreaterThanOrEqual(3);
    expect((await owner.listShares()).find((x) => x.id === share)?.name).toBe(`Mandant ${MARK}`);
  });

  it('relay data directory: no file, at no offset, in no encoding, holds the marker', () => {
    const files = dataFiles(h.relay.dataDir);
    expect(files.some((f) => f.endsWith('.sqlite'))).toBe(true);
    let total = 0;
    const found: string[] = [];
    for (const f of files) {
      const b = readFileSync(f);
      total += b.length;
      for (const w of hits(b)) found.push(`${f}: ${w}`);
    }
    console.log(`canary: scanned ${files.length} relay files, ${total} bytes`);
    expect(total).toBeGreaterThan(fileBytes.length / 2); // the ciphertext of the kept file is in there
    expect(found).toEqual([]);
  });

  it('relay logs and every frame on the wire: no marker', () => {
    expect(hits(Buffer.from(relayLog))).toEqual([]);
    const found = h.captured.flatMap((c) => hits(Buffer.from(typeof c.data === 'string' ? Buffer.from(c.data) : c.data)).map((w) => `${c.dir}: ${w}`));
    expect(h.captured.length).toBeGreaterThan(20);
    expect(found).toEqual([]);
  });

  it('client stores (every IndexedDB row of both devices): no marker', async () => {
    for (const dev of [ownerDev, memberDev]) {
      const { rows, bytes } = await idbBytes(dev);
      expect(rows).toBeGreaterThan(5);
      expect(hits(bytes), dev.name).toEqual([]);
    }
  });

  it('the scan is able to fail: the marker planted in a buffer is found in each encoding', () => {
    for (const p of PATTERNS) expect(hits(Buffer.concat([Buffer.from('xx'), p.bytes, Buffer.from('yy')]))).toContain(p.what);
    expect(hits(Buffer.from(`{"t":"${Buffer.from(`ab${MARK}cd`).toString('base64url')}"}`)).length).toBeGreaterThan(0);
  });
});

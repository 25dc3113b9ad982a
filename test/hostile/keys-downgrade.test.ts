/**
 * Hostile relay (real relay behind a MITM proxy), attack classes on keys and negotiation:
 * unauthenticated key material (re-wrapped share key), an empty key list, a KDF downgrade in
 * `account.kdf` / `account.get`, a legacy KDF algorithm, and a protocol downgrade.
 * Each: the client refuses with a specific VaultError code, shows nothing of the forged data,
 * sends nothing it should not (no re-keying), and the genuine device loses nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relayAvailable } from '../integration/sync/helpers/relay.js';
import { synced, waitFor } from '../integration/sync/helpers/devices.js';
import { wrapShareKeyForMember, newShareKey } from '../../core/model/share-keys.js';
import { fromB64url, toB64url } from '../../core/encoding.js';
import type { BoxPublicKey } from '../../core/crypto/key-types.js';
import type { EmergencyKit, VaultApi } from '../../core/vault-api.js';
import { HostileRelay, RequestTracker, rewriteJson } from './harness.js';
import { codeOf, device, until } from './util.js';

const PW = 'hostile relay password';
let h: HostileRelay;
let owner: VaultApi;
let kit: EmergencyKit;
let share: string;
let note: string;
let ownerBoxPk: string;

beforeAll(async () => {
  if (!relayAvailable) return;
  h = await HostileRelay.start();
  const created = await device('owner').launcher.createTeam({ displayName: 'Owner', teamName: 'Firm', relayUrl: h.url, password: PW, deviceName: 'owner' });
  owner = created.vault;
  kit = created.kit;
  share = (await owner.createShare('Mandate')).id;
  note = await owner.saveNote(share, { title: 'Akte', body: 'genuine body', tags: [] });
  await synced(owner);
  ownerBoxPk = h.frames('up').find((f) => f.msg?.type === 'share.create')?.msg?.entry.op.boxPk;
  expect(ownerBoxPk).toBeTruthy();
});
afterAll(async () => {
  await owner?.lock().catch(() => undefined);
  await h?.stop();
});

describe.skipIf(!relayAvailable)('hostile relay: keys and downgrades', () => {
  it('unauthenticated key material: a re-wrapped share key fails the keyCommit → WRONG_KEY, note not shown', async () => {
    const t = new RequestTracker();
    const forged = toB64url(wrapShareKeyForMember(newShareKey(), fromB64url(ownerBoxPk) as BoxPublicKey));
    h.hooks = [t.hook, rewriteJson('down', (m, link) => {
      if (m.type !== 'ok' || t.requestOf(link, m.id)?.type !== 'keys.get') return undefined;
      return { ...m, wraps: m.wraps.map((w: Record<string, unknown>) => ({ ...w, wrapped: forged })) };
    })];
    try {
      const dev = device('rewrap');
      const v = await dev.launcher.signInNewDevice({ kit, password: PW, deviceName: 'new' });
      // the record itself is genuine (signature verifies), but its key is not: unreadable
      await until(async () => (await dev.openStore().getRecord(share as never, note as never)) !== undefined, 'record pulled');
      expect(await codeOf(v.readNote(share, note))).toBe('WRONG_KEY');
      expect((await v.listItems(share)).map((i) => i.id)).not.toContain(note);
      const st = await waitFor(v, async () => (await v.listShares()).find((s) => s.id === share), 'share listed');
      expect(st.name).not.toBe('Mandate'); // the name note cannot be opened either
      await v.lock();
    } finally {
      h.hooks = [];
    }
    expect((await owner.readNote(share, note)).body).toBe('genuine body'); // owner loses nothing
  });

  it('empty key list: no key → WRONG_KEY; the client does not re-key or rotate (no log.append/share.create sent)', async () => {
    const t = new RequestTracker();
    h.hooks = [t.hook, rewriteJson('down', (m, link) => (m.type === 'ok' && t.requestOf(link, m.id)?.type === 'keys.get' ? { ...m, wraps: [] } : undefined))];
    const before = h.links.length;
    try {
      const dev = device('nokeys');
      const v = await dev.launcher.signInNewDevice({ kit, password: PW, deviceName: 'new' });
      await until(async () => (await dev.openStore().getRecord(share as never, note as never)) !== undefined, 'record pulled');
      expect(await codeOf(v.readNote(share, note))).toBe('WRONG_KEY');
      expect(await dev.openStore().getWrappedKeys(share as never)).toEqual([]);
      await v.lock();
    } finally {
      h.hooks = [];
    }
    const sent = h.captured.filter((c) => c.link >= before && c.dir === 'up' && typeof c.data === 'string').map((c) => JSON.parse(c.data as string).type);
    expect(sent).not.toContain('log.append');
    expect(sent).not.toContain('share.create');
    expect(sent).not.toContain('push');
    expect((await owner.readNote(share, note)).body).toBe('genuine body');
  });

  it('KDF downgrade in account.kdf → KDF_TOO_WEAK before any password-derived value is sent', async () => {
    h.hooks = [rewriteJson('down', (m) => (m.type === 'ok' && m.kdf ? { ...m, kdf: { ...m.kdf, opslimit: 1, memlimit: 8192 } } : undefined))];
    const before = h.captured.length;
    try {
      expect(await codeOf(device('kdf1').launcher.signInNewDevice({ kit, password: PW, deviceName: 'x' }))).toBe('KDF_TOO_WEAK');
    } finally {
      h.hooks = [];
    }
    const ups = h.captured.slice(before).filter((c) => c.dir === 'up' && typeof c.data === 'string').map((c) => JSON.parse(c.data as string));
    expect(ups.some((m) => m.type === 'auth')).toBe(false);
  });

  it('KDF downgrade in account.get (the key blob parameters) → KDF_TOO_WEAK, no device registered', async () => {
    h.hooks = [rewriteJson('down', (m) => (m.type === 'ok' && m.account?.kdf ? { ...m, account: { ...m.account, kdf: { ...m.account.kdf, opslimit: 1, memlimit: 8192 } } } : undefined))];
    const before = h.captured.length;
    try {
      expect(await codeOf(device('kdf2').launcher.signInNewDevice({ kit, password: PW, deviceName: 'x' }))).toBe('KDF_TOO_WEAK');
    } finally {
      h.hooks = [];
    }
    const ups = h.captured.slice(before).filter((c) => c.dir === 'up' && typeof c.data === 'string').map((c) => JSON.parse(c.data as string).type);
    expect(ups).not.toContain('device.register');
  });

  it('legacy KDF algorithm in account.kdf (argon2i13) → BAD_FORMAT', async () => {
    h.hooks = [rewriteJson('down', (m) => (m.type === 'ok' && m.kdf ? { ...m, kdf: { ...m.kdf, alg: 'argon2i13' } } : undefined))];
    try {
      expect(await codeOf(device('kdf3').launcher.signInNewDevice({ kit, password: PW, deviceName: 'x' }))).toBe('BAD_FORMAT');
    } finally {
      h.hooks = [];
    }
  });

  it('protocol downgrade: hello rewritten to protocol 0 → the relay refuses, the client stops with PROTOCOL_MISMATCH', async () => {
    h.hooks = [rewriteJson('up', (m) => (m.type === 'hello' ? { ...m, protocol: 0 } : undefined))];
    try {
      expect(await codeOf(device('proto0').launcher.signInNewDevice({ kit, password: PW, deviceName: 'x' }))).toBe('PROTOCOL_MISMATCH');
    } finally {
      h.hooks = [];
    }
  });

  it('protocol downgrade: an injected PROTOCOL_MISMATCH instead of the challenge → client stops, sends no auth', async () => {
    const before = h.links.length;
    h.hooks = [rewriteJson('down', (m) => (m.type === 'challenge' ? { type: 'error', code: 'PROTOCOL_MISMATCH', message: 'speak v0' } : undefined))];
    try {
      expect(await codeOf(device('proto1').launcher.signInNewDevice({ kit, password: PW, deviceName: 'x' }))).toBe('PROTOCOL_MISMATCH');
    } finally {
      h.hooks = [];
    }
    const ups = h.captured.filter((c) => c.link >= before && c.dir === 'up').map((c) => JSON.parse(c.data as string).type);
    expect(ups).toEqual(['hello']);
  });

  it('a challenge carrying a downgrade field is not a valid challenge: never answered; the genuine one is', async () => {
    const before = h.links.length;
    h.hooks = [rewriteJson('down', (m) => (m.type === 'challenge' ? { ...m, protocol: 0, kdf: 'legacy' } : undefined))];
    const dev = device('proto2');
    const p = dev.launcher.signInNewDevice({ kit, password: PW, deviceName: 'x' });
    await until(() => h.links.length >= before + 2 || undefined, 'client dropped the tampered link and reconnected');
    h.hooks = [];
    const v = await p; // recovers against the genuine relay
    const tampered = h.captured.filter((c) => c.link === before && c.dir === 'up').map((c) => JSON.parse(c.data as string).type);
    expect(tampered).toEqual(['hello']);
    await v.lock();
  });
});

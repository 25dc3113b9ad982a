/** Pure renderer helpers: translations complete in both languages, lock clock, previews, relay choice. */
import { shownConnection } from '../../../renderer/app/use-online.js';
import { describe, expect, it } from 'vitest';
import { resources } from '../../../renderer/i18n/i18n.js';
import { VAULT_ERROR_CODES } from '../../../core/errors.js';
import { lockClock } from '../../../renderer/lock/lock-clock.js';
import { previewKind, readAll } from '../../../renderer/state/preview-kind.js';
import { chooseRelay, DEFAULT_RELAY, idleSecondsOverride } from '../../../renderer/app/relay-choice.js';

describe('translations', () => {
  const en = resources.en.translation as Record<string, string>;
  const de = resources.de.translation as Record<string, string>;
  it('German and English have exactly the same keys, none empty', () => {
    expect(Object.keys(de).sort()).toEqual(Object.keys(en).sort());
    for (const [k, v] of [...Object.entries(en), ...Object.entries(de)]) expect(v.trim(), k).not.toBe('');
  });
  it('every VaultError code has words in both languages', () => {
    for (const code of VAULT_ERROR_CODES) {
      expect(en[`error.${code}`], code).toBeTruthy();
      expect(de[`error.${code}`], code).toBeTruthy();
    }
  });
  it('placeholders match between the languages', () => {
    const vars = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    for (const k of Object.keys(en)) expect(vars(de[k]!), k).toEqual(vars(en[k]!));
  });
});

describe('lock clock', () => {
  it('is wall time without an override', () => {
    let t = 1000;
    const c = lockClock(() => t, 10, null);
    t = 5000;
    expect(c.now()).toBe(5000);
  });
  it('runs faster by 60·idleMinutes/idleSeconds with an override, never slower', () => {
    let t = 1_000_000;
    const c = lockClock(() => t, 10, 5); // 10 min idle shortened to 5 s: 120× faster
    t += 5000;
    expect(c.now() - 1_000_000).toBe(600_000);
    let u = 0;
    const slow = lockClock(() => u, 1, 3600); // an override longer than the setting cannot slow it down
    u = 1000;
    expect(slow.now()).toBe(1000);
  });
});

describe('preview kind', () => {
  it.each([
    ['image/png', 'a.png', 'image'], ['image/svg+xml', 'a.svg', 'none'], ['application/pdf', 'x', 'pdf'], ['application/octet-stream', 'Akte.PDF', 'pdf'],
    ['text/plain', 'n', 'text'], ['application/octet-stream', 'notes.md', 'text'], ['application/json', 'x', 'text'], ['application/zip', 'a.zip', 'none'],
  ])('%s %s → %s', (mime, name, kind) => expect(previewKind(mime, name)).toBe(kind));
  it('readAll joins every part in order', async () => {
    const parts = [new Uint8Array([1, 2]), new Uint8Array([]), new Uint8Array([3])];
    const s = new ReadableStream<Uint8Array>({ start(c) { for (const p of parts) c.enqueue(p); c.close(); } });
    expect([...(await readAll(s))]).toEqual([1, 2, 3]);
  });
});

describe('relay choice', () => {
  it('query first, then the saved setting, then the loopback default', () => {
    expect(chooseRelay('?relay=ws://127.0.0.1:5000', 'wss://relay.kanzlei.de')).toBe('ws://127.0.0.1:5000');
    expect(chooseRelay('', 'wss://relay.kanzlei.de')).toBe('wss://relay.kanzlei.de');
    expect(chooseRelay('', null)).toBe(DEFAULT_RELAY);
  });
  it('lockIdleSeconds accepts whole seconds 1..3600 only', () => {
    expect(idleSecondsOverride('?lockIdleSeconds=5')).toBe(5);
    for (const bad of ['', '?lockIdleSeconds=0', '?lockIdleSeconds=-3', '?lockIdleSeconds=2.5', '?lockIdleSeconds=x', '?lockIdleSeconds=3601']) expect(idleSecondsOverride(bad), bad).toBeNull();
  });
});

describe('status while the machine is offline', () => {
  it('says offline whatever the engine is doing, and the engine state otherwise', () => {
    expect(shownConnection('connecting', false)).toBe('offline');
    expect(shownConnection('online', false)).toBe('offline');
    expect(shownConnection('connecting', true)).toBe('connecting');
    expect(shownConnection('online', true)).toBe('online');
  });
});

import { describe, expect, it } from 'vitest';
import { isVaultError } from '../../../core/errors.js';
import { createWebRelay } from '../../../renderer/platform/web-relay.js';

function setup(opts: { search?: string; saved?: string | null; answer?: boolean; reachable?: boolean } = {}) {
  const state = { search: opts.search ?? '', saved: opts.saved ?? null, asked: [] as string[], probed: [] as string[] };
  const relay = createWebRelay({
    search: () => state.search,
    saved: () => state.saved,
    save: (url) => void (state.saved = url),
    dropQueryRelay: () => void (state.search = ''),
    confirm: (r) => (state.asked.push(r.host), opts.answer ?? true),
    probe: async (url) => (state.probed.push(url), opts.reachable ?? true),
  });
  return { relay, state };
}
async function code(p: Promise<unknown>): Promise<string> {
  try { await p; } catch (e) { return isVaultError(e) ? e.code : 'not a VaultError'; }
  return 'no error';
}

describe('web client relay choice (Platform.relay, web)', () => {
  it('the relay in use: ?relay= first, then the saved choice, then the local default', async () => {
    expect(await setup({ search: '?relay=ws%3A%2F%2F127.0.0.1%3A9', saved: 'wss://a.de' }).relay.current()).toBe('ws://127.0.0.1:9');
    expect(await setup({ saved: 'wss://a.de' }).relay.current()).toBe('wss://a.de');
    expect(await setup().relay.current()).toBe('ws://127.0.0.1:8787');
  });

  it('a new origin is used only after the confirmation naming its host; the ?relay= override is dropped', async () => {
    const { relay, state } = setup({ search: '?relay=ws%3A%2F%2F127.0.0.1%3A9' });
    expect(await relay.choose('wss://relay.kanzlei.de:8443/')).toBe('switched');
    expect(state.asked).toEqual(['relay.kanzlei.de:8443']);
    expect(state.saved).toBe('wss://relay.kanzlei.de:8443');
    expect(await relay.current()).toBe('wss://relay.kanzlei.de:8443');
    expect(await relay.choose('wss://relay.kanzlei.de:8443')).toBe('unchanged');
    expect(state.asked).toHaveLength(1);
  });

  it('declined: nothing changes, and the new host is never contacted', async () => {
    const { relay, state } = setup({ saved: 'wss://a.de', answer: false });
    expect(await relay.choose('wss://b.de')).toBe('declined');
    expect(state.saved).toBe('wss://a.de');
    expect(state.probed).toEqual([]);
  });

  it('a confirmed relay that does not answer: RELAY_UNREACHABLE, nothing changes', async () => {
    const { relay, state } = setup({ saved: 'wss://a.de', reachable: false });
    expect(await code(relay.choose('wss://b.de'))).toBe('RELAY_UNREACHABLE');
    expect(state.asked).toEqual(['b.de']);
    expect(state.probed).toEqual(['wss://b.de']);
    expect(state.saved).toBe('wss://a.de');
  });

  it('refuses a non-TLS relay off this machine and garbage with typed errors, without asking', async () => {
    const { relay, state } = setup();
    expect(await code(relay.choose('ws://relay.kanzlei.de'))).toBe('INSECURE_RELAY_URL');
    expect(await code(relay.choose('https://relay.kanzlei.de'))).toBe('INSECURE_RELAY_URL');
    expect(await code(relay.choose('ws://127.999.1.1'))).toBe('BAD_FORMAT');
    expect(state.asked).toEqual([]);
    expect(state.saved).toBeNull();
  });
});

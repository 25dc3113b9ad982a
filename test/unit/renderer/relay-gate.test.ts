/** The first-run relay helpers (renderer/app/relay-gate.ts): link relay, the gate, the field's first value. */
import { describe, expect, it } from 'vitest';
import { initialRelayInput, linkRelay, relayGate, relayHost } from '../../../renderer/app/relay-gate.js';

describe('linkRelay', () => {
  it('reads the relay of a team invitation and of a guest link', () => {
    expect(linkRelay('truhe://team?relay=wss%3A%2F%2Ftruhe.kanzlei.de&team=t&invite=i.s')).toBe('wss://truhe.kanzlei.de');
    expect(linkRelay('  truhe://join?relay=ws%3A%2F%2F127.0.0.1%3A8787&team=t&code=c.s ')).toBe('ws://127.0.0.1:8787');
  });
  it('null for a link without relay, another scheme, or no URL', () => {
    expect(linkRelay('truhe://team?team=t')).toBeNull();
    expect(linkRelay('https://evil.example/?relay=wss://x')).toBeNull();
    expect(linkRelay('TRI-ABCD')).toBeNull();
  });
});

describe('relayGate', () => {
  it('same relay (also spelled differently): go ahead', () => {
    expect(relayGate('ws://127.0.0.1:8787', 'ws://127.0.0.1:8787/')).toEqual({ kind: 'same' });
    expect(relayGate('wss://truhe.kanzlei.de', 'wss://TRUHE.kanzlei.de')).toEqual({ kind: 'same' });
  });
  it('another relay: ask, naming its host', () => {
    const g = relayGate('ws://127.0.0.1:8787', 'wss://truhe.other.example:8443');
    expect(g).toMatchObject({ kind: 'switch', relay: { url: 'wss://truhe.other.example:8443', host: 'truhe.other.example:8443', loopback: false } });
    expect(relayGate('wss://a.example', 'wss://a.example/relay')).toMatchObject({ kind: 'switch' }); // another URL on the same origin is still a change
  });
  it('a relay the policy refuses: the code, no switch', () => {
    expect(relayGate('ws://127.0.0.1:8787', 'ws://relay.kanzlei.de')).toEqual({ kind: 'refused', code: 'INSECURE_RELAY_URL' });
    expect(relayGate('ws://127.0.0.1:8787', 'wss://user:pw@relay.kanzlei.de')).toEqual({ kind: 'refused', code: 'BAD_FORMAT' });
  });
});

describe('initialRelayInput and relayHost', () => {
  it('the configured relay; empty when only the built-in default is there', () => {
    expect(initialRelayInput('', 'ws://127.0.0.1:8787')).toBe('');
    expect(initialRelayInput('?relay=ws%3A%2F%2F127.0.0.1%3A8787', 'ws://127.0.0.1:8787')).toBe('ws://127.0.0.1:8787');
    expect(initialRelayInput('', 'wss://truhe.kanzlei.de')).toBe('wss://truhe.kanzlei.de');
  });
  it('host[:port] for the page', () => {
    expect(relayHost('wss://truhe.kanzlei.de/')).toBe('truhe.kanzlei.de');
    expect(relayHost('not a url')).toBe('not a url');
  });
});

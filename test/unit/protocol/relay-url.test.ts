import { describe, expect, it } from 'vitest';
import { checkRelayUrlPolicy, isLoopbackHost, relaySwitchNeedsConfirmation, type AcceptedRelayUrl } from '../../../protocol/relay-url.js';

function accepted(u: string): AcceptedRelayUrl {
  const v = checkRelayUrlPolicy(u);
  if (!v.ok) throw new Error(`${u} refused: ${v.code} ${v.reason}`);
  return v.relay;
}
function refusal(u: string): string {
  const v = checkRelayUrlPolicy(u);
  return v.ok ? 'accepted' : v.code;
}

describe('relay URL policy (protocol/relay-url.ts, R11)', () => {
  it('accepts wss:// to any host and gives the origin CSP and the request filter use', () => {
    expect(accepted('wss://relay.kanzlei.de')).toEqual({ url: 'wss://relay.kanzlei.de', origin: 'wss://relay.kanzlei.de', host: 'relay.kanzlei.de', loopback: false });
    expect(accepted('wss://relay.kanzlei.de:8443/truhe')).toEqual({ url: 'wss://relay.kanzlei.de:8443/truhe', origin: 'wss://relay.kanzlei.de:8443', host: 'relay.kanzlei.de:8443', loopback: false });
    expect(accepted('WSS://Relay.Kanzlei.DE:443/').url).toBe('wss://relay.kanzlei.de'); // default port and case normalised
    expect(accepted('wss://203.0.113.9').origin).toBe('wss://203.0.113.9');
    expect(accepted('wss://127.0.0.1:9').loopback).toBe(true);
  });

  it('accepts ws:// to the whole loopback block, ::1 and localhost', () => {
    for (const u of ['ws://127.0.0.1:8787', 'ws://127.0.0.2', 'ws://127.255.255.254:1', 'ws://[::1]:9', 'ws://localhost:9', 'ws://LOCALHOST']) {
      expect(accepted(u).loopback, u).toBe(true);
    }
    // The URL parser's own spelling of loopback is what is checked, so shorthand cannot sneak past.
    expect(accepted('ws://127.1:5').url).toBe('ws://127.0.0.1:5');
    expect(accepted('ws://0x7f.0.0.1').host).toBe('127.0.0.1');
    expect(accepted('ws://[0:0:0:0:0:0:0:1]').host).toBe('[::1]');
  });

  it('refuses ws:// to everything that is not surely this machine', () => {
    for (const u of ['ws://relay.kanzlei.de', 'ws://10.0.0.1', 'ws://128.0.0.1', 'ws://126.255.255.255', 'ws://0.0.0.0', 'ws://[::]', 'ws://[::2]',
      'ws://relay.localhost', 'ws://localhost.', 'ws://localhost.evil.com', 'ws://127.0.0.1.evil.com', 'ws://[::ffff:127.0.0.1]', 'ws://2130706433.evil']) {
      expect(refusal(u), u).toBe('INSECURE_RELAY_URL');
    }
  });

  it('refuses other schemes with the "use wss://" code, and what is not a URL with BAD_FORMAT', () => {
    for (const u of ['https://relay.kanzlei.de', 'http://127.0.0.1:8787', 'javascript:alert(1)', 'file:///etc/passwd', 'data:text/plain,x']) {
      expect(refusal(u), u).toBe('INSECURE_RELAY_URL');
    }
    for (const u of ['', '   ', 'not a url', 'ws://127.999.1.1', 'ws://256.0.0.1', 'wss://user:pw@relay.kanzlei.de', 'wss://relay.kanzlei.de/?team=x',
      'wss://relay.kanzlei.de/#', 'wss://a.de; script-src *', `wss://${'a'.repeat(2050)}.de`]) {
      expect(refusal(u), JSON.stringify(u.slice(0, 40))).toBe('BAD_FORMAT');
    }
  });

  it('isLoopbackHost checks the parsed host form, octet by octet', () => {
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('::1')).toBe(true);
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('127.999.1.1')).toBe(false);
    expect(isLoopbackHost('127.0.0.1 ')).toBe(false);
    expect(isLoopbackHost('0.0.0.0')).toBe(false);
  });

  it('asks for confirmation on every change of origin, the first choice included', () => {
    const firm = accepted('wss://relay.kanzlei.de/truhe');
    expect(relaySwitchNeedsConfirmation(null, firm)).toBe(true);
    expect(relaySwitchNeedsConfirmation('ws://127.0.0.1:8787', firm)).toBe(true);
    expect(relaySwitchNeedsConfirmation('wss://relay.kanzlei.de:444', firm)).toBe(true); // another port is another origin
    expect(relaySwitchNeedsConfirmation('wss://relay.kanzlei.de', firm)).toBe(false); // same origin, other path
    expect(relaySwitchNeedsConfirmation('garbage', firm)).toBe(true);
  });
});

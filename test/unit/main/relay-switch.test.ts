import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, cspDirectives } from '../../../main/csp.js';
import { allowRequest } from '../../../main/request-policy.js';
import { gateJoinLinks, planRelaySwitch, relaySwitchDialog, type LinkGateDeps } from '../../../main/relay-switch.js';
import { acceptRelayUrl } from '../../../main/relay-origin.js';

const LOCAL = 'ws://127.0.0.1:8787';
const FIRM = 'wss://relay.kanzlei.de';
const link = (relay: string, team = 'T1') => `truhe://join?${new URLSearchParams({ relay, team, code: 'c1.s3cr3t' }).toString()}`;

describe('planRelaySwitch (main)', () => {
  it('asks before every change of origin, not for the relay in use', () => {
    expect(planRelaySwitch(LOCAL, FIRM)).toMatchObject({ kind: 'switch', confirm: true, relay: { host: 'relay.kanzlei.de' } });
    expect(planRelaySwitch(null, FIRM)).toMatchObject({ kind: 'switch', confirm: true });
    expect(planRelaySwitch(FIRM, `${FIRM}/`)).toMatchObject({ kind: 'unchanged' });
    expect(planRelaySwitch(FIRM, `${FIRM}/v2`)).toMatchObject({ kind: 'switch', confirm: false });
  });

  it('refuses a non-TLS relay off this machine with a typed error, before any dialog', () => {
    expect(() => planRelaySwitch(LOCAL, 'ws://relay.kanzlei.de')).toThrow(expect.objectContaining({ code: 'INSECURE_RELAY_URL' }));
    expect(() => planRelaySwitch(LOCAL, 'ws://relay.localhost')).toThrow(expect.objectContaining({ code: 'INSECURE_RELAY_URL' }));
    expect(() => planRelaySwitch(LOCAL, 'ws://127.999.1.1')).toThrow(expect.objectContaining({ code: 'BAD_FORMAT' }));
  });
});

describe('the confirmation dialog', () => {
  it('names the host, in English or German, and cancels by default', () => {
    const en = relaySwitchDialog(acceptRelayUrl('wss://relay.kanzlei.de:8443/truhe'), 'en');
    expect(en.message).toBe('Connect Truhe to the relay at relay.kanzlei.de:8443?');
    expect(en.detail.split('\n')[0]).toBe('wss://relay.kanzlei.de:8443/truhe');
    expect([en.defaultId, en.cancelId, en.buttons.length]).toEqual([0, 0, 2]);
    const de = relaySwitchDialog(acceptRelayUrl('ws://127.0.0.2:9'), 'de');
    expect(de.message).toBe('Truhe mit dem Server 127.0.0.2:9 (dieser Computer) verbinden?');
  });
});

describe('CSP and request filter follow the chosen relay', () => {
  it('connect-src is exactly the chosen origin; requests reach only it', () => {
    expect(cspDirectives(`${FIRM}:8443/truhe`)['connect-src']).toEqual(["'self'", 'wss://relay.kanzlei.de:8443']);
    expect(contentSecurityPolicy(FIRM)).toContain("connect-src 'self' wss://relay.kanzlei.de;");
    expect(contentSecurityPolicy(FIRM)).not.toContain('127.0.0.1');
    expect(allowRequest('wss://relay.kanzlei.de/any/path', FIRM)).toBe(true);
    expect(allowRequest('ws://127.0.0.1:8787', FIRM)).toBe(false);
    expect(allowRequest('wss://relay.kanzlei.de:444', FIRM)).toBe(false);
    expect(allowRequest('https://relay.kanzlei.de', FIRM)).toBe(false);
  });
});

describe('gateJoinLinks: join links and the relay in use', () => {
  function deps(answer: boolean, current = LOCAL) {
    const log: string[] = [];
    const d: LinkGateDeps & { log: string[]; queued: string[] } = {
      log, queued: [],
      current: () => current,
      confirm: async (relay) => (log.push(`confirm ${relay.host}`), answer),
      switchTo: async (url, requeue) => { log.push(`switch ${url}`); d.queued.push(...requeue); current = url; },
      onDeclined: (host) => log.push(`declined ${host}`),
    };
    return d;
  }

  it('passes links to the relay in use without a dialog', async () => {
    const d = deps(true);
    expect(await gateJoinLinks([link(LOCAL)], d)).toEqual([link(LOCAL)]);
    expect(d.log).toEqual([]);
  });

  it('a link to another relay: confirmed → switch, and the link waits for the reloaded window', async () => {
    const d = deps(true);
    expect(await gateJoinLinks([link(LOCAL, 'A'), link(FIRM, 'B')], d)).toEqual([]);
    expect(d.log).toEqual(['confirm relay.kanzlei.de', `switch ${FIRM}`]);
    expect(d.queued).toEqual([link(LOCAL, 'A'), link(FIRM, 'B')]);
    // After the reload the firm's link passes; the old relay's link would ask again.
    const after = deps(false, FIRM);
    expect(await gateJoinLinks(d.queued, after)).toEqual([link(FIRM, 'B')]);
    expect(after.log).toEqual(['confirm 127.0.0.1:8787', 'declined 127.0.0.1:8787']);
  });

  it('a declined link is dropped, nothing switches', async () => {
    const d = deps(false);
    expect(await gateJoinLinks([link(FIRM)], d)).toEqual([]);
    expect(d.log).toEqual(['confirm relay.kanzlei.de', 'declined relay.kanzlei.de']);
    expect(d.queued).toEqual([]);
  });
});

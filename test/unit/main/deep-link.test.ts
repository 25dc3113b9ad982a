import { describe, expect, it } from 'vitest';
import { joinLinkFromArgv, MAX_DEEP_LINK_LENGTH, parseJoinLink } from '../../../main/deep-link.js';

const good = 'truhe://join?relay=wss%3A%2F%2Frelay.kanzlei.de&team=T_1-a&code=c0de.S3cr3t-_';

describe('join links', () => {
  it('parses a valid link and re-serialises it', () => {
    const l = parseJoinLink(good);
    expect(l).toMatchObject({ relay: 'wss://relay.kanzlei.de', team: 'T_1-a', code: 'c0de.S3cr3t-_' });
    expect(parseJoinLink(l.href)).toEqual(l);
    expect(parseJoinLink('truhe://join/?relay=ws://127.0.0.1:8787&team=t&code=a.b&share=s1')).toMatchObject({ share: 's1' });
  });

  const bad: Array<[string, unknown, RegExp]> = [
    ['foreign scheme', 'https://join?relay=wss://a.de&team=t&code=a.b', /scheme must be truhe:/],
    ['javascript scheme', 'javascript:alert(1)', /scheme must be truhe:/],
    ['other action', 'truhe://delete?relay=wss://a.de&team=t&code=a.b', /only truhe:\/\/join/],
    ['path', 'truhe://join/x?relay=wss://a.de&team=t&code=a.b', /only truhe:\/\/join/],
    ['credentials', 'truhe://u:p@join?relay=wss://a.de&team=t&code=a.b', /credentials/],
    ['unknown param', `${good}&next=https://evil`, /unknown parameter "next"/],
    ['duplicate param', `${good}&team=x`, /given twice/],
    ['missing code', 'truhe://join?relay=wss://a.de&team=t', /code parameter missing/],
    ['insecure relay', 'truhe://join?relay=ws://relay.de&team=t&code=a.b', /relay: .*loopback/],
    ['bad team', 'truhe://join?relay=wss://a.de&team=../x&code=a.b', /team must be/],
    ['bad code', 'truhe://join?relay=wss://a.de&team=t&code=nodot', /code must look like/],
    ['fragment', `${good}#x`, /fragment/],
    ['whitespace', `${good} `, /whitespace/],
    ['oversize', `${good}&x=${'a'.repeat(MAX_DEEP_LINK_LENGTH)}`, /longer than 2048/],
    ['not a string', 42, /must be a string/],
    ['not a url', 'truhe', /not a URL/],
  ];
  for (const [what, link, message] of bad) {
    it(`refuses ${what} with BAD_FORMAT`, () => {
      expect(() => parseJoinLink(link)).toThrow(message);
      try {
        parseJoinLink(link);
      } catch (e) {
        expect((e as { code: string }).code).toBe('BAD_FORMAT');
        expect((e as Error).message).toMatch(/^parseJoinLink: /);
      }
    });
  }

  it('finds the link in a command line, ignoring bad ones', () => {
    expect(joinLinkFromArgv(['/usr/bin/truhe', '--no-sandbox', good])?.team).toBe('T_1-a');
    expect(joinLinkFromArgv(['/usr/bin/truhe', 'TRUHE://join?relay=wss://a.de&team=t&code=a.b'])?.team).toBe('t');
    expect(joinLinkFromArgv(['/usr/bin/truhe'])).toBeNull();
    expect(joinLinkFromArgv(['/usr/bin/truhe', 'truhe://evil'])).toBeNull();
  });

  it('accepts a truhe://team invitation link (relay, team, invite) and re-serialises it', () => {
    const l = parseJoinLink('truhe://team?relay=wss://relay.example.de&team=t1&invite=abc.def');
    expect(l).toEqual({ kind: 'team', relay: 'wss://relay.example.de', team: 't1', code: 'abc.def', href: 'truhe://team?relay=wss%3A%2F%2Frelay.example.de&team=t1&invite=abc.def' });
  });

  it('a team link takes no access-code parameters, and needs its invite', () => {
    expect(() => parseJoinLink('truhe://team?relay=wss://relay.example.de&team=t1&code=abc.def')).toThrow(/unknown parameter "code"/);
    expect(() => parseJoinLink('truhe://team?relay=wss://relay.example.de&team=t1')).toThrow(/invite parameter missing/);
  });
});

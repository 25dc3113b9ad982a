/**
 * The setup code (core/model/setup-code.ts): round trip, the tolerant parts a person needs
 * (case, spaces, line breaks, look-alike letters), and each malformed input refused with its
 * own code — every negative input breaks exactly one rule of the format.
 */
import { describe, expect, it } from 'vitest';
import { concatBytes, fromB64url, toBase32, u32be, utf8 } from '../../../../core/encoding.js';
import { crc32, formatSetupCode, parseSetupCode, type SetupCode } from '../../../../core/model/setup-code.js';
import type { AccountId, TeamId } from '../../../../core/ids.js';
import { expectCode } from '../helpers.js';

const fields: SetupCode = { relayUrl: 'wss://relay.kanzlei-muster.de/truhe', teamId: 'AAECAwQFBgcICQoLDA0ODw' as TeamId, accountId: '8PHy8_T19vf4-fr7_P3-_w' as AccountId };

/** Builds a code from raw parts, so one rule at a time can be broken. */
function raw(body: Uint8Array, opts: { prefix?: string; sum?: Uint8Array } = {}): string {
  const prefix = opts.prefix ?? 'TRS1';
  const sum = opts.sum ?? u32be(crc32(concatBytes(utf8(prefix), body)));
  return `${prefix}-${toBase32(concatBytes(body, sum))}`;
}
const body = (url: string | Uint8Array) => concatBytes(fromB64url(fields.teamId), fromB64url(fields.accountId), typeof url === 'string' ? utf8(url) : url);

describe('setup code', () => {
  it('round-trips relay URL, team id and account id', () => {
    const code = formatSetupCode(fields);
    expect(code).toMatch(/^TRS1(-[0-9A-HJKMNP-TV-Z]{1,5})+$/);
    expect(parseSetupCode(code)).toEqual(fields);
    expect(raw(body(fields.relayUrl)).replace(/-/g, '')).toBe(code.replace(/-/g, ''));
  });

  it('carries nothing but the three fields (no Secret Key, no password-derived bytes)', () => {
    const code = formatSetupCode(fields);
    // 32 id bytes + the URL + 4 check bytes, nothing more.
    const chars = code.slice(5).replace(/-/g, '').length;
    expect(chars).toBe(Math.ceil(((32 + utf8(fields.relayUrl).length + 4) * 8) / 5));
  });

  it('accepts lower case, spaces, line breaks, missing dashes and I/L/O look-alikes', () => {
    const code = formatSetupCode({ ...fields, relayUrl: 'ws://127.0.0.1:8787' });
    const compact = code.replace(/-/g, '');
    const variants = [code.toLowerCase(), `  ${code.replace(/-/g, ' ')}\n`, compact, compact.replace(/1/g, 'l').replace(/^TRSl/, 'TRS1'), compact.replace(/0/g, 'O')];
    for (const v of variants) expect(parseSetupCode(v)).toEqual({ ...fields, relayUrl: 'ws://127.0.0.1:8787' });
  });

  it('normalises the relay URL as the relay policy does', () => {
    expect(parseSetupCode(formatSetupCode({ ...fields, relayUrl: 'wss://Relay.Example.de/' })).relayUrl).toBe('wss://relay.example.de');
  });

  it('refuses text without the TRS prefix: SETUP_CODE_INVALID', async () => {
    const code = formatSetupCode(fields);
    expect((await expectCode(() => parseSetupCode(code.slice(4)), 'SETUP_CODE_INVALID')).message).toMatch(/does not start with TRS/);
    await expectCode(() => parseSetupCode(''), 'SETUP_CODE_INVALID');
    await expectCode(() => parseSetupCode(`TRH${code.slice(3)}`), 'SETUP_CODE_INVALID');
  });

  it('refuses another format version: SETUP_CODE_VERSION', async () => {
    const e = await expectCode(() => parseSetupCode(raw(body(fields.relayUrl), { prefix: 'TRS2' })), 'SETUP_CODE_VERSION');
    expect(e.message).toMatch(/version 2/);
    await expectCode(() => parseSetupCode(raw(body(fields.relayUrl), { prefix: 'TRSZ' })), 'SETUP_CODE_VERSION');
  });

  it('refuses a character outside base32: SETUP_CODE_INVALID', async () => {
    const code = formatSetupCode(fields);
    const e = await expectCode(() => parseSetupCode(`${code.slice(0, 10)}U${code.slice(11)}`), 'SETUP_CODE_INVALID');
    expect(e.message).toMatch(/'U' is not a character/);
  });

  it('refuses a code cut short or with characters added: SETUP_CODE_INVALID', async () => {
    const code = formatSetupCode(fields).replace(/-/g, '');
    expect((await expectCode(() => parseSetupCode(code.slice(0, 40)), 'SETUP_CODE_INVALID')).message).toMatch(/length/);
    // One extra character gives a length no byte string has in base32.
    const lengths = [code.length - 1, code.length + 1].filter((l) => Math.ceil((Math.floor(((l - 4) * 5) / 8) * 8) / 5) !== l - 4);
    expect(lengths.length).toBeGreaterThan(0);
    for (const l of lengths) await expectCode(() => parseSetupCode(l < code.length ? code.slice(0, l) : `${code}0`), 'SETUP_CODE_INVALID');
  });

  it('refuses padding bits set in the last character: SETUP_CODE_INVALID', async () => {
    const code = formatSetupCode(fields).replace(/-/g, '');
    const bits = (((code.length - 4) * 5) % 8);
    expect(bits).toBeGreaterThan(0); // this URL's length leaves padding bits
    const last = code.at(-1)!;
    const flipped = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'['0123456789ABCDEFGHJKMNPQRSTVWXYZ'.indexOf(last) ^ 1]!;
    expect((await expectCode(() => parseSetupCode(code.slice(0, -1) + flipped), 'SETUP_CODE_INVALID')).message).toMatch(/padding/);
  });

  it('refuses every single-character typo with SETUP_CODE_CHECK', async () => {
    const code = formatSetupCode(fields).replace(/-/g, '');
    const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
    for (let i = 4; i < code.length - 1; i++) {
      const c = alphabet[(alphabet.indexOf(code[i]!) + 7) % 32]!;
      await expectCode(() => parseSetupCode(code.slice(0, i) + c + code.slice(i + 1)), 'SETUP_CODE_CHECK');
    }
    // Two different neighbours swapped (a typist's slip), wherever that happens.
    let swaps = 0;
    for (let i = 4; i < code.length - 2; i++) {
      if (code[i] === code[i + 1]) continue;
      swaps++;
      await expectCode(() => parseSetupCode(code.slice(0, i) + code[i + 1] + code[i] + code.slice(i + 2)), 'SETUP_CODE_CHECK');
    }
    expect(swaps).toBeGreaterThan(50);
  });

  it('refuses a check made for another version prefix: SETUP_CODE_CHECK', async () => {
    const b = body(fields.relayUrl);
    await expectCode(() => parseSetupCode(raw(b, { sum: u32be(crc32(concatBytes(utf8('TRS2'), b))) })), 'SETUP_CODE_CHECK');
  });

  it('refuses a relay URL that is not UTF-8: SETUP_CODE_INVALID', async () => {
    expect((await expectCode(() => parseSetupCode(raw(body(new Uint8Array([0x77, 0x73, 0xff, 0xfe])))), 'SETUP_CODE_INVALID')).message).toMatch(/UTF-8/);
  });

  it('refuses plain ws:// off this machine: INSECURE_RELAY_URL', async () => {
    await expectCode(() => parseSetupCode(raw(body('ws://relay.example.de'))), 'INSECURE_RELAY_URL');
  });

  it('refuses a relay "URL" that is no URL: BAD_FORMAT', async () => {
    await expectCode(() => parseSetupCode(raw(body('wss://user:pw@relay.example.de'))), 'BAD_FORMAT');
  });

  it('formatSetupCode takes only the three fields from a whole kit', () => {
    const kit = { ...fields, secretKey: 'A3-BVHSEP-NQTHYS-3BPG7-P18DD-C75CJ-X4NCP' };
    expect(formatSetupCode(kit)).toBe(formatSetupCode(fields));
  });

  it('formatSetupCode refuses fields a kit never has', async () => {
    await expectCode(() => formatSetupCode({ ...fields, teamId: 'short' as TeamId }), 'SETUP_CODE_INVALID');
    await expectCode(() => formatSetupCode({ ...fields, relayUrl: 'ws://relay.example.de' }), 'INSECURE_RELAY_URL');
  });
});

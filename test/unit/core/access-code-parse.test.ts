/**
 * Access code and join link parsing (core/model/access-code.ts): each malformed input is refused
 * with CODE_INVALID and a message that says what is wrong; the tolerant parts (case, spaces,
 * dashes, prefix, look-alike letters) are accepted; a mistyped character is CODE_TYPO (v2: every
 * single substitution and every swap, proven by exhaustion below).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../../../core/crypto/sodium.js';
import { newId, type TeamId } from '../../../core/ids.js';
import { fromB64url, toBase32, utf8 } from '../../../core/encoding.js';
import { blake2b } from '../../../core/crypto/hash.js';
import {
  CODE_ALPHABET, CODE_CHARS, CODE_DATA_CHARS, CODE_SECRET_BYTES, CODE_TAG_BYTES, codeIdFromTag, deriveCodeKeys, formatAccessCode, formatJoinLink,
  newAccessCode, newAccessCodeV1, parseAccessCode, parseJoinLink, verifierPublicKeyB64,
} from '../../../core/model/access-code.js';
import { TEST_KDF_COST } from '../../../core/crypto/kdf.js';
import { toB64url } from '../../../core/encoding.js';
import { expectCode } from './helpers.js';

beforeAll(ready);

async function invalid(fn: () => unknown, message: string) {
  const e = await expectCode(fn, 'CODE_INVALID');
  expect(e.message).toBe(message);
  return e;
}

async function typo(fn: () => unknown, message: string) {
  const e = await expectCode(fn, 'CODE_TYPO');
  expect(e.message).toBe(message);
  return e;
}

const team = newId<TeamId>();

describe('parseAccessCode (v1 codes made before the read-aloud form)', () => {
  it('accepts the typed form in any case, with spaces instead of dashes, and without the prefix', () => {
    const c = newAccessCodeV1();
    const typed = formatAccessCode(c);
    expect(typed).toMatch(/^TRH(-[0-9A-Z]{1,4}){13}$/);
    for (const t of [typed, typed.toLowerCase(), `  ${typed.replace(/-/g, ' ')} `, typed.slice(4), `trh ${typed.slice(4)}`]) expect(parseAccessCode(t, team)).toEqual(c);
  });
  it('strips only a leading TRH prefix (with or without a separator), never a TRH inside the code', () => {
    let c = newAccessCodeV1();
    for (let i = 0; i < 20_000 && !formatAccessCode(c).slice(4).replace(/-/g, '').includes('TRH'); i++) c = newAccessCodeV1();
    const body = formatAccessCode(c).slice(4).replace(/-/g, '');
    expect(body).toContain('TRH');
    for (const t of [body, `TRH${body}`, `trh-${body}`, `TRH ${body}`]) expect(parseAccessCode(t, team)).toEqual(c);
  });
  it('refuses a code whose checksum differs in one byte, or whose last character carries non-zero padding bits (CODE_TYPO)', async () => {
    const c = newAccessCodeV1();
    const payload = new Uint8Array([...fromB64url(c.id), ...c.secret]);
    const sum = blake2b(new Uint8Array([...utf8('truhe/code-sum/v1'), ...payload]), 16).subarray(0, 2);
    for (const k of [0, 1]) {
      const bad = new Uint8Array([...payload, ...sum]);
      bad[payload.length + k] = bad[payload.length + k]! ^ 1;
      await typo(() => parseAccessCode(toBase32(bad), team), 'parseAccessCode: checksum mismatch (typo?)');
    }
    const good = toBase32(new Uint8Array([...payload, ...sum]));
    expect(parseAccessCode(good, team)).toEqual(c);
    const last = CODE_ALPHABET.indexOf(good.at(-1)!);
    const padded = good.slice(0, -1) + CODE_ALPHABET[last | 1];
    await typo(() => parseAccessCode(padded, team), 'parseAccessCode: checksum mismatch (typo?)');
  });
});

describe('parseAccessCode (v2, read aloud)', () => {
  it('is 7 groups of 4 Crockford characters and round-trips in any case, with spaces or none, and with O/I/L for 0/1', () => {
    for (let n = 0; n < 50; n++) {
      const c = newAccessCode(team);
      const typed = formatAccessCode(c);
      expect(typed).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){6}[0-9A-HJKMNP-TV-Z]{4}$/);
      const lookalike = typed.replace(/0/g, 'o').replace(/1/g, n % 2 ? 'l' : 'I');
      for (const t of [typed, typed.toLowerCase(), `  ${typed.replace(/-/g, ' ')} `, typed.replace(/-/g, ''), lookalike]) expect(parseAccessCode(t, team)).toEqual(c);
      expect(c.id).toBe(codeIdFromTag(team, c.tag!));
    }
  });
  it('has at least 100 bits of secret: the alphabet and length leave 104 bits after the public tag, padding and check', () => {
    const bitsPerChar = Math.log2(CODE_ALPHABET.length);
    expect(bitsPerChar).toBe(5);
    expect(new Set(CODE_ALPHABET).size).toBe(32);
    expect(CODE_ALPHABET).not.toMatch(/[ILOU]/);
    expect(CODE_CHARS).toBe(28);
    const dataBits = CODE_DATA_CHARS * bitsPerChar; // 130: tag + secret + 2 padding bits
    const secretBits = dataBits - CODE_TAG_BYTES * 8 - (dataBits - (CODE_TAG_BYTES + CODE_SECRET_BYTES) * 8);
    expect(secretBits).toBe(CODE_SECRET_BYTES * 8);
    expect(secretBits).toBeGreaterThanOrEqual(100);
    // and the secret really is that long and random (no two of 1000 alike)
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) seen.add(toBase32(newAccessCode(team).secret));
    expect(seen.size).toBe(1000);
  });
  it('catches every single-character substitution with CODE_TYPO (all 28 positions × 31 other characters)', async () => {
    for (let n = 0; n < 5; n++) {
      const body = formatAccessCode(newAccessCode(team)).replace(/-/g, '');
      let caught = 0;
      for (let i = 0; i < body.length; i++) {
        for (const ch of CODE_ALPHABET) {
          if (ch === body[i]) continue;
          const bad = body.slice(0, i) + ch + body.slice(i + 1);
          const e = await expectCode(() => parseAccessCode(bad, team), 'CODE_TYPO');
          expect(e.message).toMatch(/^parseAccessCode: (check characters do not match|padding bits set) \(typo\?\)$/);
          caught++;
        }
      }
      expect(caught).toBe(28 * 31);
    }
  });
  it('catches every swap of two different characters and every pair of substitutions tried', async () => {
    const body = formatAccessCode(newAccessCode(team)).replace(/-/g, '');
    for (let i = 0; i < body.length; i++) {
      for (let j = i + 1; j < body.length; j++) {
        if (body[i] === body[j]) continue;
        const sw = [...body];
        [sw[i], sw[j]] = [sw[j]!, sw[i]!];
        await expectCode(() => parseAccessCode(sw.join(''), team), 'CODE_TYPO');
        const two = [...body];
        two[i] = CODE_ALPHABET[(CODE_ALPHABET.indexOf(two[i]!) + 1 + ((i * 7 + j) % 31)) % 32]!;
        two[j] = CODE_ALPHABET[(CODE_ALPHABET.indexOf(two[j]!) + 1 + ((j * 5 + i) % 31)) % 32]!;
        await expectCode(() => parseAccessCode(two.join(''), team), 'CODE_TYPO');
      }
    }
  });
  it('a code belongs to its team: the same characters under another team name another code id', () => {
    const c = newAccessCode(team);
    const other = parseAccessCode(formatAccessCode(c), newId<TeamId>());
    expect(other.secret).toEqual(c.secret);
    expect(other.id).not.toBe(c.id);
  });
  it('refuses a non-string, foreign characters and the wrong length with CODE_INVALID', async () => {
    const typed = formatAccessCode(newAccessCode(team));
    await invalid(() => parseAccessCode(42 as unknown as string, team), 'parseAccessCode: not a string');
    const bad = await invalid(() => parseAccessCode(typed + '!', team), 'parseAccessCode: contains a character that is not in an access code');
    expect(bad.cause).toBeDefined();
    await invalid(() => parseAccessCode(typed.replace(/^./, 'U'), team), 'parseAccessCode: contains a character that is not in an access code');
    await invalid(() => parseAccessCode(typed.slice(0, -1), team), 'parseAccessCode: expected 28 characters (7 groups of 4), got 27');
    await invalid(() => parseAccessCode(`${typed}A`, team), 'parseAccessCode: expected 28 characters (7 groups of 4), got 29');
    // the length of an old TRH-… code, but without its prefix: not read as an old code
    await invalid(() => parseAccessCode('X'.repeat(53), team), 'parseAccessCode: expected 28 characters (7 groups of 4), got 53');
  });
  it('refuses a v2 code whose two padding bits are set, even with matching check characters', async () => {
    const clean = formatAccessCode(newAccessCode(team)).replace(/-/g, '');
    const data = clean.slice(0, CODE_DATA_CHARS);
    const last = CODE_ALPHABET.indexOf(data.at(-1)!);
    const bad = data.slice(0, -1) + CODE_ALPHABET[last ^ 1]; // 16 bytes in 26 characters: the lowest 2 bits are padding
    let tried = 0;
    for (const p of CODE_ALPHABET) for (const q of CODE_ALPHABET) {
      try {
        parseAccessCode(bad + p + q, team);
        throw new Error('a code with padding bits set was accepted');
      } catch (e) {
        if ((e as Error).message === 'parseAccessCode: check characters do not match (typo?)') continue;
        expect((e as Error).message).toBe('parseAccessCode: padding bits set (typo?)');
        tried++;
      }
    }
    expect(tried).toBe(1); // exactly one check pair fits, and it is refused for the padding
  });
});

describe('parseJoinLink', () => {
  const link = () => ({ relay: 'wss://relay.example:8443', team, code: newAccessCodeV1() });
  it('round-trips, also written as truhe:///join', () => {
    const l = link();
    const text = formatJoinLink(l);
    expect(text.startsWith('truhe://join?')).toBe(true);
    expect(parseJoinLink(text)).toEqual(l);
    expect(parseJoinLink(`  ${text.replace('truhe://join?', 'truhe:///join?')}  `)).toEqual(l);
    expect(parseJoinLink(text.replace('truhe://join?', 'truhe:////join?'))).toEqual(l);
  });
  it('refuses what is not a truhe join link, and each missing or malformed part', async () => {
    const l = link();
    const q = (over: Record<string, string | null>) => {
      const p = new URLSearchParams({ relay: l.relay, team, code: `${l.code.id}.${toBase32(l.code.secret)}` });
      for (const [k, v] of Object.entries(over)) v === null ? p.delete(k) : p.set(k, v);
      return `truhe://join?${p.toString()}`;
    };
    expect(parseJoinLink(q({}))).toEqual(l);
    expect((await invalid(() => parseJoinLink('no link'), 'parseJoinLink: not a link')).cause).toBeDefined();
    await invalid(() => parseJoinLink(q({}).replace('truhe:', 'https:')), 'parseJoinLink: not a truhe://join link');
    await invalid(() => parseJoinLink(q({}).replace('//join', '//open')), 'parseJoinLink: not a truhe://join link');
    await invalid(() => parseJoinLink(q({}).replace('truhe://join', 'truhe:jo/in')), 'parseJoinLink: not a truhe://join link');
    await invalid(() => parseJoinLink(q({ relay: null })), 'parseJoinLink: missing relay');
    await invalid(() => parseJoinLink(q({ relay: '' })), 'parseJoinLink: missing relay');
    await invalid(() => parseJoinLink(q({ team: null })), 'parseJoinLink: missing or malformed team');
    await invalid(() => parseJoinLink(q({ team: 'short' })), 'parseJoinLink: missing or malformed team');
    for (const code of [null, `${l.code.id}.${toBase32(l.code.secret)}.x`, `${l.code.id}.${toBase32(l.code.secret)}!`, `${l.code.id}`, `${l.code.id}.`, `${l.code.id.slice(0, 21)}B.${toBase32(l.code.secret)}`, `x${l.code.id}.${toBase32(l.code.secret)}`]) {
      await invalid(() => parseJoinLink(q({ code })), 'parseJoinLink: code must be <id>.<secret>');
    }
    const e = await invalid(() => parseJoinLink(q({ code: `${l.code.id}.${toBase32(l.code.secret)}A` })), 'parseJoinLink: malformed code secret');
    expect(e.cause).toBeDefined();
    const lastBitsSet = toBase32(l.code.secret).slice(0, -1) + 'Z';
    if (lastBitsSet !== toBase32(l.code.secret)) await invalid(() => parseJoinLink(q({ code: `${l.code.id}.${lastBitsSet}` })), 'parseJoinLink: malformed code secret');
  });
});

describe('code keys', () => {
  it('deriveCodeKeys refuses a secret that is not 13 bytes; the verifier key is sent as base64url', async () => {
    const c = newAccessCode(team);
    await invalid(() => deriveCodeKeys(newId<TeamId>(), { ...c, secret: c.secret.slice(1) }, TEST_KDF_COST), 'deriveCodeKeys: secret must be 13 bytes');
    const keys = deriveCodeKeys(newId<TeamId>(), c, TEST_KDF_COST);
    expect(verifierPublicKeyB64(keys)).toBe(toB64url(keys.verifier.publicKey));
  });
});

/**
 * Access code and join link parsing (core/model/access-code.ts): each malformed input is refused
 * with CODE_INVALID and a message that says what is wrong; the tolerant parts (case, spaces,
 * dashes, prefix, look-alike letters) are accepted.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../../../core/crypto/sodium.js';
import { newId, type TeamId } from '../../../core/ids.js';
import { fromB64url, toBase32, utf8 } from '../../../core/encoding.js';
import { blake2b } from '../../../core/crypto/hash.js';
import { deriveCodeKeys, formatAccessCode, formatJoinLink, newAccessCode, parseAccessCode, parseJoinLink, verifierPublicKeyB64 } from '../../../core/model/access-code.js';
import { TEST_KDF_COST } from '../../../core/crypto/kdf.js';
import { toB64url } from '../../../core/encoding.js';
import { expectCode } from './helpers.js';

beforeAll(ready);

async function invalid(fn: () => unknown, message: string) {
  const e = await expectCode(fn, 'CODE_INVALID');
  expect(e.message).toBe(message);
  return e;
}

describe('parseAccessCode', () => {
  it('accepts the typed form in any case, with spaces instead of dashes, and without the prefix', () => {
    const c = newAccessCode();
    const typed = formatAccessCode(c);
    expect(typed).toMatch(/^TRH(-[0-9A-Z]{1,4}){13}$/);
    for (const t of [typed, typed.toLowerCase(), `  ${typed.replace(/-/g, ' ')} `, typed.slice(4), `trh ${typed.slice(4)}`]) expect(parseAccessCode(t)).toEqual(c);
  });
  it('strips only a leading TRH prefix (with or without a separator), never a TRH inside the code', () => {
    let c = newAccessCode();
    for (let i = 0; i < 20_000 && !formatAccessCode(c).slice(4).replace(/-/g, '').includes('TRH'); i++) c = newAccessCode();
    const body = formatAccessCode(c).slice(4).replace(/-/g, '');
    expect(body).toContain('TRH');
    for (const t of [body, `TRH${body}`, `trh-${body}`, `TRH ${body}`]) expect(parseAccessCode(t)).toEqual(c);
  });
  it('refuses a code whose checksum differs in one byte, or whose last character carries non-zero padding bits', async () => {
    const c = newAccessCode();
    const payload = new Uint8Array([...fromB64url(c.id), ...c.secret]);
    const sum = blake2b(new Uint8Array([...utf8('truhe/code-sum/v1'), ...payload]), 16).subarray(0, 2);
    for (const k of [0, 1]) {
      const bad = new Uint8Array([...payload, ...sum]);
      bad[payload.length + k] = bad[payload.length + k]! ^ 1;
      await invalid(() => parseAccessCode(toBase32(bad)), 'parseAccessCode: checksum mismatch (typo?)');
    }
    const good = toBase32(new Uint8Array([...payload, ...sum]));
    expect(parseAccessCode(good)).toEqual(c);
    const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
    const last = alphabet.indexOf(good.at(-1)!);
    const padded = good.slice(0, -1) + alphabet[last | 1];
    await invalid(() => parseAccessCode(padded), 'parseAccessCode: checksum mismatch (typo?)');
  });
  it('refuses a non-string, foreign characters, the wrong length, and a checksum mismatch', async () => {
    const c = newAccessCode();
    const typed = formatAccessCode(c);
    await invalid(() => parseAccessCode(42 as unknown as string), 'parseAccessCode: not a string');
    const bad = await invalid(() => parseAccessCode(typed + '!'), 'parseAccessCode: contains a character that is not in an access code');
    expect(bad.cause).toBeDefined();
    const short = await invalid(() => parseAccessCode(typed.slice(0, -1)), 'parseAccessCode: expected 50 characters after TRH, got 49');
    expect(short.cause).toBeDefined();
    const flipped = typed.slice(0, 5) + (typed[5] === '0' ? '2' : '0') + typed.slice(6);
    const sum = await invalid(() => parseAccessCode(flipped), 'parseAccessCode: checksum mismatch (typo?)');
    expect(sum.cause).toBeUndefined();
  });
});

describe('parseJoinLink', () => {
  const team = newId<TeamId>();
  const link = () => ({ relay: 'wss://relay.example:8443', team, code: newAccessCode() });
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
    const c = newAccessCode();
    await invalid(() => deriveCodeKeys(newId<TeamId>(), { ...c, secret: c.secret.slice(1) }, TEST_KDF_COST), 'deriveCodeKeys: secret must be 13 bytes');
    const keys = deriveCodeKeys(newId<TeamId>(), c, TEST_KDF_COST);
    expect(verifierPublicKeyB64(keys)).toBe(toB64url(keys.verifier.publicKey));
  });
});

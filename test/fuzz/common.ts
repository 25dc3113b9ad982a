/**
 * Shared pieces of the fuzz suites: the run count (FUZZ_RUNS, default small for `npm test`),
 * valid sample messages of every protocol type, and a structural mutator that turns a valid
 * message into a near-valid one (a field replaced, removed, added, retyped), which reaches
 * far deeper into the schemas than random bytes.
 */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';

/** Cases per property. `npm test`: 300; `npm run fuzz`: FUZZ_RUNS=20000. */
export const RUNS = Math.max(1, Number(process.env.FUZZ_RUNS ?? 300) || 300);
/** Cases for properties that do real I/O (sockets, child processes): a tenth, at least 100. */
export const IO_RUNS = Math.max(100, Math.floor(RUNS / 10));

export const b64 = (n: number) => randomBytes(n).toString('base64url');
export const id = () => b64(16);

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export const SAMPLE_SHARE = id();
const share = SAMPLE_SHARE;
const item = id();
const hash = b64(32);
const sig = b64(64);
const pk = b64(32);

export const KDF = { alg: 'argon2id13', salt: b64(16), opslimit: 3, memlimit: 268435456 };
const accountReg = { id: id(), signPk: pk, boxPk: pk, authPk: pk, kdf: KDF, keyBlob: b64(120) };
const deviceReg = { id: id(), signPk: pk, cert: sig, platform: 'linux', nameEnc: b64(30) };
const entry = { share, index: 0, prev: 'A'.repeat(43), ts: 1, author: id(), op: { t: 'create', owner: id(), boxPk: pk, signPk: pk, epoch: 0, keyCommit: hash }, sig };
const record = { item, version: 2, baseVersion: 1, kind: 'note', epoch: 0, author: { kind: 'account', id: id() }, body: b64(200), chunks: [], sig };
const wrap = { epoch: 0, to: { kind: 'account', id: id() }, wrapped: b64(80) };
const team = id();
const owner = id();
const genesis = { team, index: 0, prev: 'A'.repeat(43), ts: 1, author: owner, op: { t: 'genesis', owner, boxPk: pk, signPk: pk, nameEnc: b64(40), teamNameEnc: b64(40), epoch: 0, keyCommit: hash }, sig };
const devAdd = { team, index: 1, prev: hash, ts: 1, author: owner, op: { t: 'device.add', account: owner, device: id(), signPk: pk, cert: sig }, sig };
const teamWrap = { epoch: 0, account: owner, wrapped: b64(80) };

/** One valid example of every client → relay text message. */
export const CLIENT_SAMPLES: Record<string, Json>[] = [
  { type: 'hello', protocol: 2 },
  { type: 'auth', method: 'device', team: id(), device: id(), sig },
  { type: 'auth', method: 'code', team: id(), code: id(), sig },
  { type: 'team.create', team, account: accountReg, device: deviceReg, roster: [genesis, devAdd], wraps: [teamWrap], sig },
  { type: 'team.join', team, invite: id(), account: accountReg, device: deviceReg, nameEnc: b64(40), mac: hash, sig },
  { type: 'invite.get', id: 19, team, invite: id() },
  { type: 'account.kdf', id: 1, team: id(), account: id() },
  { type: 'account.get', id: 3 },
  { type: 'account.update', id: 4, authPk: pk, kdf: KDF, keyBlob: b64(100) },
  { type: 'roster.get', id: 5, since: 0 },
  { type: 'roster.append', id: 2, entries: [devAdd], wraps: [teamWrap] },
  { type: 'join.list', id: 20 },
  { type: 'join.reject', id: 21, account: id() },
  { type: 'checkpoint.put', id: 22, body: { team, account: owner, device: id(), ts: 1, roster: { length: 2, hash }, shares: [{ share, length: 1, hash }] }, sig },
  { type: 'account.info', id: 6 },
  { type: 'device.list', id: 7 },
  { type: 'device.register', id: 8, device: deviceReg, entry: devAdd },
  { type: 'share.create', id: 9, share, entry, wraps: [wrap] },
  { type: 'log.append', id: 10, share, entries: [{ ...entry, index: 1, op: { t: 'epoch', epoch: 1, keyCommit: hash } }], wraps: [wrap] },
  { type: 'log.get', id: 11, share, since: 0 },
  { type: 'keys.get', id: 12, share },
  { type: 'keys.drop', id: 18, share, below: 1 },
  { type: 'push', id: 13, share, records: [record] },
  { type: 'pull', id: 14, share, since: 0, limit: 10 },
  { type: 'history', id: 15, share, item },
  { type: 'chunk.has', id: 16, share, hashes: [hash, hash] },
  { type: 'chunk.get', id: 17, share, hash },
];

/** One valid example of every relay → client text message. */
export const SERVER_SAMPLES: Record<string, Json>[] = [
  { type: 'challenge', nonce: b64(32) },
  { type: 'welcome', as: { kind: 'device', account: id(), device: id(), role: 'owner' }, shares: [share] },
  { type: 'welcome', as: { kind: 'code', code: id(), share, readOnly: true }, shares: [share] },
  { type: 'wipe' },
  { type: 'wipe', order: { ...devAdd, index: 2, op: { t: 'device.revoke', account: owner, device: id(), lost: false } } },
  { type: 'roster', length: 3 },
  { type: 'joinrequest' },
  { type: 'closing', code: 4002, reason: 'code rotated' },
  { type: 'error', id: 1, code: 'NOT_FOUND', message: 'x' },
  { type: 'conflict', id: 1, item, head: { ...record, seq: 4 } },
  { type: 'changed', share, seq: 5 },
  { type: 'log', share, index: 2 },
  { type: 'ok', id: 1, records: [{ ...record, seq: 1 }], head: 1, more: false },
  { type: 'ok', id: 1, entries: [entry] },
  { type: 'ok', id: 1, wraps: [wrap] },
  { type: 'ok', id: 1, kdf: KDF },
];

/** JSON values that tend to break validators: wrong types, huge/odd numbers, prototype keys. */
export const nastyValue: fc.Arbitrary<Json> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
  fc.constantFrom<Json>(null, true, false, 0, -1, 1e308, -0, 2 ** 31, 2 ** 53, 2 ** 31 - 1, 0.5, '', 'A'.repeat(22), 'A'.repeat(43), '\u0000', '\ud800', [], {}, { __proto__: 1 } as Json, 'constructor', 'toString'),
  fc.string({ maxLength: 200 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

function paths(v: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...prefix, i])));
  else if (v && typeof v === 'object') for (const k of Object.keys(v)) out.push(...paths(v[k]!, [...prefix, k]));
  return out;
}

type Mutation = { pathPick: number; kind: 'replace' | 'delete' | 'add'; key: string; value: Json };

function apply(base: Json, m: Mutation): Json {
  const copy = structuredClone(base);
  const all = paths(copy);
  const path = all[m.pathPick % all.length]!;
  if (path.length === 0) {
    if (m.kind === 'add' && copy && typeof copy === 'object' && !Array.isArray(copy)) (copy as Record<string, Json>)[m.key] = m.value;
    return m.kind === 'replace' ? m.value : copy;
  }
  let parent: any = copy;
  for (const p of path.slice(0, -1)) parent = parent[p];
  const last = path.at(-1)!;
  if (m.kind === 'replace') parent[last] = m.value;
  else if (m.kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  } else if (parent[last] && typeof parent[last] === 'object' && !Array.isArray(parent[last])) parent[last][m.key] = m.value;
  else if (Array.isArray(parent[last])) parent[last].push(m.value);
  else parent[last] = m.value;
  return copy;
}

/** A valid sample with 1–3 structural mutations. */
export function mutated(samples: Record<string, Json>[]): fc.Arbitrary<Json> {
  const mutation = fc.record({
    pathPick: fc.nat(),
    kind: fc.constantFrom<'replace' | 'delete' | 'add'>('replace', 'delete', 'add'),
    key: fc.oneof(fc.constantFrom('type', 'id', 'evil', '__proto__', 'constructor'), fc.string({ maxLength: 8 })),
    value: nastyValue,
  });
  return fc.tuple(fc.constantFrom(...samples), fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([base, ms]) => ms.reduce(apply, base as Json));
}

/** Arbitrary text frames: random strings, random JSON, mutated valid messages. */
export function textFrames(samples: Record<string, Json>[]): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ maxLength: 300 }),
    fc.string({ unit: 'binary', maxLength: 300 }),
    fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
    mutated(samples).map((v) => JSON.stringify(v)),
    mutated(samples).map((v) => JSON.stringify(v).slice(0, -1)),
  );
}

/** Arbitrary binary frames: random bytes, and well-framed headers with random/mutated JSON. */
export const binaryFrames: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ maxLength: 400 }),
  fc.tuple(fc.oneof(fc.nat({ max: 600 }), fc.constant(0xffffffff)), fc.uint8Array({ maxLength: 300 })).map(([len, rest]) => {
    const out = new Uint8Array(4 + rest.length);
    new DataView(out.buffer).setUint32(0, len, false);
    out.set(rest, 4);
    return out;
  }),
  fc.tuple(
    fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      mutated([{ type: 'chunk.put', id: 1, share, hash }, { type: 'chunk', id: 1, hash }]),
    ),
    fc.uint8Array({ maxLength: 200 }),
  ).map(([h, body]) => {
    const header = new TextEncoder().encode(JSON.stringify(h));
    const out = new Uint8Array(4 + header.length + body.length);
    new DataView(out.buffer).setUint32(0, header.length, false);
    out.set(header, 4);
    out.set(body, 4 + header.length);
    return out;
  }),
);

/**
 * Fuzzing of the client's decoders of untrusted bytes: relay frames as core/sync parses them,
 * record envelopes and log entries as core/model + core/vault parse them, and the file-chunk
 * decoder (core/crypto/stream.ts, core/model/file.ts). Arbitrary input must end in a
 * VaultError with an expected code — TAMPERED / TRUNCATED / BAD_FORMAT (and the few codes a
 * parser documents) — never another exception, and never a successful open of altered bytes.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { VaultError, type VaultErrorCode } from '../../core/errors.js';
import { ready } from '../../core/crypto/sodium.js';
import { randomKey } from '../../core/crypto/keys.js';
import { MIN_CHUNK_SIZE, newStreamHeader, openChunk, parseStreamHeader, sealChunk, StreamOpener, type StreamHeader } from '../../core/crypto/stream.js';
import type { FileKey } from '../../core/crypto/key-types.js';
import { importFile, openFileChunk, openFileRecord, type OpenedFile, type SealedChunk } from '../../core/model/file.js';
import { openNote, sealNote } from '../../core/model/note.js';
import { parseRecordEnvelope, type RecordEnvelope } from '../../core/model/record.js';
import { basicLogVerifier, nextEntry, parseLogEntry, type LogEntry } from '../../core/vault/membership.js';
import { newSignKeyPair } from '../../core/crypto/keys.js';
import { decodeBinaryFrame, parseRelayText } from '../../core/sync/wire.js';
import { toB64url } from '../../core/encoding.js';
import { binaryFrames, mutated, RUNS, SERVER_SAMPLES, textFrames, type Json } from './common.js';
import { setup } from '../unit/core/helpers.js';

/** Runs fn; it must succeed or throw a VaultError whose code is in `allowed`. Returns the code or 'ok'. */
async function outcome(fn: () => unknown, allowed: VaultErrorCode[]): Promise<VaultErrorCode | 'ok'> {
  try {
    await fn();
    return 'ok';
  } catch (e) {
    if (!(e instanceof VaultError)) throw new Error(`expected a VaultError, got ${String(e)}`);
    if (!allowed.includes(e.code)) throw new Error(`unexpected code ${e.code}: ${e.message}`);
    return e.code;
  }
}

beforeAll(async () => { await ready(); });

describe('fuzz: client wire decoders (core/sync/wire.ts)', () => {
  it('parseRelayText: arbitrary text → RelayMessage or BAD_FORMAT', async () => {
    await fc.assert(fc.asyncProperty(textFrames(SERVER_SAMPLES), async (t) => { await outcome(() => parseRelayText(t), ['BAD_FORMAT']); }), { numRuns: RUNS });
  });
  it('decodeBinaryFrame: arbitrary bytes → chunk frame or BAD_FORMAT', async () => {
    await fc.assert(fc.asyncProperty(binaryFrames, async (b) => { await outcome(() => decodeBinaryFrame(b), ['BAD_FORMAT']); }), { numRuns: RUNS });
  });
});

describe('fuzz: envelopes and log entries', () => {
  let env: RecordEnvelope;
  let ctx: Awaited<ReturnType<typeof setup>>;
  beforeAll(async () => {
    ctx = await setup();
    env = sealNote(ctx.seal(), { title: 't', body: 'b', tags: [], updatedAt: 1 } as never);
  });

  it('parseRecordEnvelope: mutated envelopes → envelope or BAD_FORMAT', async () => {
    await fc.assert(fc.asyncProperty(mutated([env as unknown as Record<string, Json>]), async (v) => {
      await outcome(() => parseRecordEnvelope(v), ['BAD_FORMAT']);
    }), { numRuns: RUNS });
  });

  it('openNote: a mutated envelope that still parses never opens (signature or AEAD refuses it)', async () => {
    let refused = 0;
    await fc.assert(fc.asyncProperty(mutated([env as unknown as Record<string, Json>]), async (v) => {
      let parsed: RecordEnvelope;
      try { parsed = parseRecordEnvelope(v); } catch { return; }
      const same = JSON.stringify(parsed) === JSON.stringify(env);
      const r = await outcome(() => openNote(ctx.open(), parsed), ['BAD_SIGNATURE', 'BAD_FORMAT', 'TAMPERED', 'TRUNCATED', 'UNKNOWN_AUTHOR', 'WRONG_KEY']);
      if (!same) { expect(r).not.toBe('ok'); refused++; }
    }), { numRuns: RUNS });
    // Most random mutations no longer parse; so that every run checks opens too, also one
    // character (or number) of each top-level field changed by hand.
    for (const [k, v] of Object.entries(env)) {
      const changed = typeof v === 'string' && v.length > 4 ? v.slice(0, 2) + (v[2] === 'A' ? 'B' : 'A') + v.slice(3) : typeof v === 'number' ? v + 1 : null;
      if (changed === null) continue;
      let parsed: RecordEnvelope;
      try { parsed = parseRecordEnvelope({ ...env, [k]: changed }); } catch { continue; }
      expect(await outcome(() => openNote(ctx.open(), parsed), ['BAD_SIGNATURE', 'BAD_FORMAT', 'TAMPERED', 'TRUNCATED', 'UNKNOWN_AUTHOR', 'WRONG_KEY']), k).not.toBe('ok');
      refused++;
    }
    expect(refused).toBeGreaterThan(0);
  });

  it('parseLogEntry + replay: mutated entries → a state only for the genuine chain, else a typed error', async () => {
    const owner = newSignKeyPair();
    const share = ctx.share;
    const acc = 'A'.repeat(21) + 'Q';
    const e0 = nextEntry(share, undefined, acc, { t: 'create', owner: acc, boxPk: toB64url(new Uint8Array(32)), signPk: toB64url(owner.publicKey), epoch: 0, keyCommit: toB64url(new Uint8Array(32)) }, 1, owner.secretKey);
    const s0 = basicLogVerifier.replay(share, [e0]);
    const e1 = nextEntry(share, s0, acc, { t: 'epoch', epoch: 1, keyCommit: toB64url(new Uint8Array(32).fill(1)) }, 2, owner.secretKey);
    await fc.assert(fc.asyncProperty(mutated([e1 as unknown as Record<string, Json>]), async (v) => {
      const r = await outcome(() => basicLogVerifier.replay(share, [parseLogEntry(v)], s0), ['BAD_FORMAT', 'BAD_SIGNATURE', 'LOG_FORKED', 'NOT_ALLOWED', 'TAMPERED']);
      if (JSON.stringify(v) !== JSON.stringify(e1)) expect(r, JSON.stringify(v)).not.toBe('ok');
    }), { numRuns: RUNS });
  });

  it('parseLogEntry: arbitrary stored text → entry or BAD_FORMAT', async () => {
    await fc.assert(fc.asyncProperty(fc.oneof(fc.string({ maxLength: 100 }), fc.jsonValue().map((j) => JSON.stringify(j))), async (t) => {
      await outcome(() => parseLogEntry(t), ['BAD_FORMAT']);
    }), { numRuns: RUNS });
  });
});

describe('fuzz: file-chunk decoder (STREAM)', () => {
  const CS = MIN_CHUNK_SIZE;
  let key: FileKey;
  let header: StreamHeader;
  let sealed: Uint8Array[];
  beforeAll(() => {
    key = randomKey<FileKey>();
    header = newStreamHeader(key, CS);
    const plain = [new Uint8Array(CS).fill(1), new Uint8Array(CS).fill(2), new Uint8Array(100).fill(3)];
    sealed = plain.map((p, i) => sealChunk(key, header, i, p, i === plain.length - 1));
  });

  type Op = { t: 'drop' | 'dup' | 'swap' | 'flip' | 'cut' | 'append' | 'replace'; i: number; j: number; n: number; bytes: Uint8Array };
  const op: fc.Arbitrary<Op> = fc.record({
    t: fc.constantFrom('drop', 'dup', 'swap', 'flip', 'cut', 'append', 'replace'),
    i: fc.nat(), j: fc.nat(), n: fc.nat(), bytes: fc.uint8Array({ maxLength: 64 }),
  });
  function applyOps(ops: Op[]): Uint8Array[] {
    const cs = sealed.map((c) => c);
    for (const o of ops) {
      if (cs.length === 0) break;
      const i = o.i % cs.length;
      const j = o.j % cs.length;
      switch (o.t) {
        case 'drop': cs.splice(i, 1); break;
        case 'dup': cs.splice(i, 0, cs[i]!); break;
        case 'swap': [cs[i], cs[j]] = [cs[j]!, cs[i]!]; break;
        case 'flip': { const c = cs[i]!.slice(); c[o.n % c.length]! ^= 1 << (o.j % 8); cs[i] = c; break; }
        case 'cut': cs[i] = cs[i]!.subarray(0, o.n % cs[i]!.length); break;
        case 'append': cs.push(o.bytes.length ? o.bytes : new Uint8Array(1)); break;
        case 'replace': cs[i] = o.bytes; break;
      }
    }
    return cs;
  }
  const same = (a: Uint8Array[], b: Uint8Array[]) => a.length === b.length && a.every((x, k) => Buffer.from(x).equals(Buffer.from(b[k]!)));

  it('StreamOpener: dropped, duplicated, reordered, flipped, cut, appended chunks → TAMPERED or TRUNCATED', async () => {
    const seen = new Set<string>();
    await fc.assert(fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 4 }), async (ops) => {
      const cs = applyOps(ops);
      const r = await outcome(() => {
        const o = new StreamOpener(key, header);
        for (const c of cs) o.next(c);
        o.finish();
      }, ['TAMPERED', 'TRUNCATED']);
      seen.add(r);
      if (!same(cs, sealed)) expect(r, ops.map((x) => x.t).join(',')).not.toBe('ok');
    }), { numRuns: RUNS });
    expect(seen.has('TAMPERED')).toBe(true);
    expect(seen.has('TRUNCATED')).toBe(true);
  });

  it('openChunk by index: arbitrary bytes at any position → TAMPERED', async () => {
    await fc.assert(fc.asyncProperty(fc.nat({ max: 5 }), fc.boolean(), fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.constant(new Uint8Array(CS + 16))), async (i, last, b) => {
      expect(await outcome(() => openChunk(key, header, i, b, last), ['TAMPERED'])).toBe('TAMPERED');
    }), { numRuns: RUNS });
  });

  it('parseStreamHeader: arbitrary bytes → header or BAD_FORMAT; a mutated header never opens a chunk', async () => {
    await fc.assert(fc.asyncProperty(fc.oneof(fc.uint8Array({ maxLength: 80 }), fc.tuple(fc.nat({ max: 39 }), fc.nat({ max: 7 })).map(([p, bit]) => {
      const h = header.bytes.slice(); h[p]! ^= 1 << bit; return h;
    })), async (b) => {
      let h: StreamHeader;
      try { h = parseStreamHeader(b); } catch (e) {
        expect(e).toBeInstanceOf(VaultError);
        expect((e as VaultError).code).toBe('BAD_FORMAT');
        return;
      }
      if (Buffer.from(b).equals(Buffer.from(header.bytes))) return;
      expect(await outcome(() => openChunk(key, h, 0, sealed[0]!, false), ['WRONG_KEY', 'TAMPERED'])).not.toBe('ok');
    }), { numRuns: RUNS });
  });

  it('file record + openFileChunk: altered record fields or chunk bytes → refused with a typed code', async () => {
    const c = await setup();
    const chunks: SealedChunk[] = [];
    const data = [new Uint8Array(CS).fill(7), new Uint8Array(500).fill(8)];
    const { envelope } = await importFile(c.seal(), data, { name: 'geheim.pdf', mime: 'application/pdf', updatedAt: 1, chunkSize: CS }, (ch) => { chunks.push(ch); });
    const file: OpenedFile = await openFileRecord(c.open(), envelope);
    await fc.assert(fc.asyncProperty(mutated([envelope as unknown as Record<string, Json>]), async (v) => {
      let parsed: RecordEnvelope;
      try { parsed = parseRecordEnvelope(v); } catch { return; }
      const r = await outcome(() => openFileRecord(c.open(), parsed), ['BAD_SIGNATURE', 'BAD_FORMAT', 'TAMPERED', 'TRUNCATED', 'UNKNOWN_AUTHOR', 'WRONG_KEY']);
      if (JSON.stringify(parsed) !== JSON.stringify(envelope)) expect(r).not.toBe('ok');
    }), { numRuns: RUNS });
    await fc.assert(fc.asyncProperty(fc.nat({ max: 3 }), fc.oneof(fc.uint8Array({ maxLength: 100 }), fc.nat().map((n) => { const b = chunks[n % 2]!.bytes.slice(); b[n % b.length]! ^= 0x80; return b; })), async (i, b) => {
      const r = await outcome(() => openFileChunk(file, i, b), ['TAMPERED', 'NOT_FOUND']);
      expect(r).toBe(i < 2 ? 'TAMPERED' : 'NOT_FOUND');
    }), { numRuns: RUNS });
    // genuine chunks still open, in any order
    expect(openFileChunk(file, 1, chunks[1]!.bytes)).toEqual(data[1]);
    expect(openFileChunk(file, 0, chunks[0]!.bytes)).toEqual(data[0]);
  });
});

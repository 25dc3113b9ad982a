import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeBinaryFrame } from '../../../protocol/index.js';
import { TestClient } from './helpers/client.js';
import { connectDevice, createShare, createTeam } from './helpers/fixtures.js';
import { backends, startInProcess } from './helpers/relay-harness.js';

describe.each(backends)('relay frame validation ($name)', (backend) => {
  let r: Awaited<ReturnType<typeof startInProcess>>;
  beforeAll(async () => { r = await startInProcess(backend, { limits: { maxTextFrame: 64 * 1024, maxBinaryFrame: 64 * 1024 + 4096, maxChunk: 64 * 1024 } }); });
  afterAll(async () => { await r.stop(); });

  it('answers bad frames with specific codes and keeps serving', async () => {
    const { c, team, owner } = await createTeam(r.url);
    const log = await createShare(c, owner);
    const cases: [string | Uint8Array, string][] = [
      ['{not json', 'BAD_FRAME'],
      ['[1,2,3]', 'BAD_FRAME'],
      ['"str"', 'BAD_FRAME'],
      ['{"no":"type"}', 'BAD_FIELD'],
      ['{"type":"launch.missiles","id":1}', 'UNKNOWN_TYPE'],
      ['{"type":"pull","id":7}', 'BAD_FIELD'],
      [JSON.stringify({ type: 'pull', id: 8, share: log.share, since: -1 }), 'BAD_FIELD'],
      [JSON.stringify({ type: 'pull', id: 9, share: log.share, since: 0, evil: 1 }), 'BAD_FIELD'],
      [JSON.stringify({ type: 'account.kdf', id: 10, team, account: owner.account }), 'NOT_ALLOWED'],
      [new Uint8Array([1, 2, 3]), 'BAD_FRAME'],
      [new Uint8Array([0, 0, 0, 200, 1, 2, 3]), 'BAD_FRAME'],
      [encodeBinaryFrame({ type: 'other', id: 1 }, new Uint8Array(4)), 'UNKNOWN_TYPE'],
      [encodeBinaryFrame({ type: 'chunk.put', id: 1, share: log.share, hash: 'x' }, new Uint8Array(4)), 'BAD_FIELD'],
    ];
    for (const [frame, code] of cases) {
      c.ws.send(frame);
      const m = await c.next((x) => x.type === 'error');
      expect(m.code, String(frame)).toBe(code);
    }
    expect((await c.request({ type: 'pull', id: 0, share: log.share, since: 0 })).type).toBe('ok');
    expect(c.closeCode).toBeNull();
    c.close();
    const again = await connectDevice(r.url, team, owner);
    expect(again.first.type).toBe('welcome');
    again.c.close();
  });

  it('refuses requests before auth, and garbage before hello, without crashing', async () => {
    const c = await TestClient.open(r.url);
    c.send({ type: 'pull', id: 1, share: 'AAAAAAAAAAAAAAAAAAAAAA', since: 0 });
    expect(await c.next()).toMatchObject({ type: 'error', id: 1, code: 'NOT_AUTHENTICATED' });
    c.ws.send(new Uint8Array(100).fill(255));
    expect(await c.next()).toMatchObject({ type: 'error', code: 'TOO_LARGE' });
    c.send('\u0000\u0001garbage');
    expect(await c.next()).toMatchObject({ type: 'error', code: 'BAD_FRAME' });
    await c.hello();
    c.close();
  });

  it('closes an oversize frame with 1009 before parsing; others are unaffected', async () => {
    const { c, team, owner } = await createTeam(r.url);
    const other = await connectDevice(r.url, team, owner);
    c.send('x'.repeat(200 * 1024));
    expect((await c.closed).code).toBe(1009);
    expect((await other.c.request({ type: 'ping' })).type).toBe('ok');
    other.c.close();
  });
});

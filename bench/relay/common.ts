/** Shared by the relay benchmark and its helper processes: keys, a minimal ws client, process helpers. */
import { createHash, createPrivateKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import { AUTH_DOMAIN, authPayload, canonicalBytes, canonicalJson, ZERO_HASH } from '../../protocol/index.js';

export const ROOT = new URL('../../', import.meta.url).pathname;
export const id16 = () => randomBytes(16).toString('base64url');
export const b64 = (n: number) => randomBytes(n).toString('base64url');
export const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('base64url');

export function keys(): { pk: string; priv: KeyObject; pkcs8: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    pk: publicKey.export({ format: 'der', type: 'spki' }).subarray(12).toString('base64url'),
    priv: privateKey,
    pkcs8: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
  };
}
export const privFromPkcs8 = (b: string) => createPrivateKey({ key: Buffer.from(b, 'base64'), format: 'der', type: 'pkcs8' });

/** Minimal client: JSON requests by id, notices to a callback. */
export class BenchClient {
  private waiting = new Map<number, (m: any) => void>();
  private nextId = 1;
  onNotice: (m: any) => void = () => undefined;
  private challenge: ((n: string) => void) | null = null;
  private welcome: ((m: any) => void) | null = null;
  constructor(readonly ws: WebSocket) {
    ws.on('message', (d: Buffer, bin: boolean) => {
      if (bin) return;
      const m = JSON.parse(d.toString());
      if (m.type === 'challenge') return this.challenge?.(m.nonce);
      if (m.type === 'welcome' || (m.id === undefined && m.type === 'error')) return this.welcome?.(m);
      const w = m.id !== undefined ? this.waiting.get(m.id) : undefined;
      if (w) { this.waiting.delete(m.id); w(m); } else this.onNotice(m);
    });
  }
  static async connect(url: string, team: string, auth: { method: 'device' | 'team.create'; id: string; priv: KeyObject; extra?: object }): Promise<BenchClient> {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    await new Promise<void>((res, rej) => { ws.once('open', () => res()); ws.once('error', rej); });
    const c = new BenchClient(ws);
    const nonce = await new Promise<string>((res) => { c.challenge = res; ws.send(JSON.stringify({ type: 'hello', protocol: 2 })); });
    const sig = sign(null, canonicalBytes(authPayload(nonce, team, auth.method, auth.id), AUTH_DOMAIN), auth.priv).toString('base64url');
    const msg = auth.method === 'device' ? { type: 'auth', method: 'device', team, device: auth.id, sig } : { type: 'team.create', team, ...auth.extra, sig };
    const w = await new Promise<any>((res) => { c.welcome = res; ws.send(JSON.stringify(msg)); });
    if (w.type !== 'welcome') throw new Error(`auth failed: ${JSON.stringify(w)}`);
    return c;
  }
  request(m: object): Promise<any> {
    const id = this.nextId++;
    return new Promise((res) => { this.waiting.set(id, res); this.ws.send(JSON.stringify({ ...m, id })); });
  }
  /** Sends a pre-encoded frame (binary, or JSON text) that carries `id`. */
  sendFrame(id: number, frame: Uint8Array | string): Promise<any> {
    return new Promise((res) => { this.waiting.set(id, res); this.ws.send(frame); });
  }
  takeId(): number { return this.nextId++; }
}

/** Creates a team with one account/device and one share; returns what the helpers need. */
export async function setupTeam(url: string) {
  const team = id16(), account = id16(), device = id16(), share = id16();
  const sign = keys(), dev = keys(), boxPk = keys().pk, cert = b64(64);
  // The team roster (placeholder signatures: the relay enforces chain and roles; clients verify signatures).
  const genesis = { team, index: 0, prev: ZERO_HASH, ts: Date.now(), author: account, op: { t: 'genesis', owner: account, boxPk, signPk: sign.pk, nameEnc: b64(40), teamNameEnc: b64(40), epoch: 0, keyCommit: b64(32) }, sig: b64(64) };
  const devAdd = { team, index: 1, prev: createHash('sha256').update(canonicalJson(genesis)).digest('base64url'), ts: Date.now(), author: account, op: { t: 'device.add', account, device, signPk: dev.pk, cert }, sig: b64(64) };
  const c = await BenchClient.connect(url, team, {
    method: 'team.create', id: device, priv: dev.priv,
    extra: {
      account: { id: account, signPk: sign.pk, boxPk, authPk: keys().pk, kdf: { alg: 'argon2id13', salt: b64(16), opslimit: 3, memlimit: 268435456 }, keyBlob: b64(200) },
      device: { id: device, signPk: dev.pk, cert, platform: 'linux', nameEnc: b64(40) },
      roster: [genesis, devAdd], wraps: [{ epoch: 0, account, wrapped: b64(80) }],
    },
  });
  const entry = { share, index: 0, prev: ZERO_HASH, ts: Date.now(), author: account, op: { t: 'create', owner: account, boxPk, signPk: sign.pk, epoch: 0, keyCommit: b64(32) }, sig: b64(64) };
  const r = await c.request({ type: 'share.create', share, entry, wraps: [] });
  if (r.type !== 'ok') throw new Error(`share.create: ${JSON.stringify(r)}`);
  return { c, team, account, device, share, devKey: dev };
}

export function rssKiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

/** Spawns a TypeScript helper (via tsx) and resolves with the first stdout line matching `re`. */
export async function spawnTs(file: string, args: string[], re: RegExp, env: NodeJS.ProcessEnv = {}): Promise<{ proc: ChildProcess; match: RegExpExecArray }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', file, ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    let buf = '';
    proc.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = re.exec(buf);
      if (m) { resolve(m); buf = ''; }
    });
    proc.on('exit', (code) => reject(new Error(`${file} exited ${code}`)));
  });
  return { proc, match };
}

export const percentile = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!; };

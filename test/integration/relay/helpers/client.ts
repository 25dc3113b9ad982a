/** A small real-ws test client: sends JSON/binary frames, awaits answers and notices, records the close code. */
import { generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import WebSocket from 'ws';
import { AUTH_DOMAIN, authPayload, canonicalBytes, decodeBinaryFrame, encodeBinaryFrame, PROTOCOL_VERSION } from '../../../../protocol/index.js';

export type Msg = Record<string, any>;

export interface Keys {
  pk: string;
  priv: KeyObject;
}
export function newKeys(): Keys {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const der = publicKey.export({ format: 'der', type: 'spki' });
  return { pk: der.subarray(12).toString('base64url'), priv: privateKey };
}
export function signB64(k: Keys, msg: Uint8Array): string {
  return sign(null, msg, k.priv).toString('base64url');
}
export const newId = () => randomBytes(16).toString('base64url');
export const b64 = (n: number) => randomBytes(n).toString('base64url');

export class TestClient {
  readonly ws: WebSocket;
  readonly inbox: (Msg | { binary: Uint8Array; header: Msg })[] = [];
  private waiters: { pred: (m: any) => boolean; resolve: (m: any) => void }[] = [];
  closed: Promise<{ code: number; reason: string }>;
  closeCode: number | null = null;
  nonce = '';
  private nextId = 1;

  /** `opts`: ws client options (e.g. `autoPong: false` to play a half-open peer). */
  constructor(url: string, opts?: WebSocket.ClientOptions) {
    this.ws = new WebSocket(url, opts);
    this.ws.on('message', (data: Buffer, isBinary: boolean) => {
      let m: any;
      if (isBinary) {
        const f = decodeBinaryFrame(new Uint8Array(data));
        m = f.ok ? { binary: f.value.bytes, header: f.value.header } : { binary: new Uint8Array(data), header: {} };
      } else m = JSON.parse(data.toString('utf8'));
      const w = this.waiters.findIndex((x) => x.pred(m));
      if (w >= 0) this.waiters.splice(w, 1)[0]!.resolve(m);
      else this.inbox.push(m);
    });
    this.ws.on('error', () => undefined);
    this.closed = new Promise((resolve) => this.ws.on('close', (code, reason) => { this.closeCode = code; resolve({ code, reason: reason.toString() }); }));
  }
  static async open(url: string, opts?: WebSocket.ClientOptions): Promise<TestClient> {
    const c = new TestClient(url, opts);
    await new Promise<void>((resolve, reject) => { c.ws.once('open', () => resolve()); c.ws.once('error', reject); });
    return c;
  }
  /** Resolves with the first (queued or future) message matching pred. */
  next(pred: (m: any) => boolean = () => true): Promise<any> {
    const i = this.inbox.findIndex(pred);
    if (i >= 0) return Promise.resolve(this.inbox.splice(i, 1)[0]);
    return new Promise((resolve) => this.waiters.push({ pred, resolve }));
  }
  send(m: Msg | string): void {
    this.ws.send(typeof m === 'string' ? m : JSON.stringify(m));
  }
  /** Sends a request with a fresh id and resolves with the answer carrying that id (ok, error or conflict). */
  request(m: Msg): Promise<Msg> {
    const id = this.nextId++;
    this.send({ ...m, id });
    return this.next((x) => x.id === id || x.header?.id === id);
  }
  putChunk(share: string, hash: string, bytes: Uint8Array): Promise<Msg> {
    const id = this.nextId++;
    this.ws.send(encodeBinaryFrame({ type: 'chunk.put', id, share, hash }, bytes));
    return this.next((x) => x.id === id);
  }
  async hello(): Promise<string> {
    this.send({ type: 'hello', protocol: PROTOCOL_VERSION });
    const c = await this.next((m) => m.type === 'challenge');
    this.nonce = c.nonce;
    return c.nonce;
  }
  authSig(k: Keys, team: string, method: 'device' | 'code' | 'account' | 'team.create' | 'team.join', id: string): string {
    return signB64(k, canonicalBytes(authPayload(this.nonce, team, method, id), AUTH_DOMAIN));
  }
  close(): void {
    this.ws.close();
  }
}

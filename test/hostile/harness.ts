/**
 * Hostile relay harness: the REAL relay process behind a WebSocket man-in-the-middle on
 * loopback. Every frame in either direction passes through `hooks` which may pass it, drop it,
 * rewrite it, replace it by several frames (duplicate, inject), or hold it (delay); every frame
 * is also captured (what the client sent, what it received). Links can inject frames at any
 * time and be cut. Helpers open the relay's SQLite files directly to alter stored state
 * between steps (the relay reads SQLite on every request, so changes take effect at once).
 *
 * A client connects to `hostile.url` instead of the relay's own URL.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import WebSocket, { WebSocketServer } from 'ws';
import { startRelay, type RelayProcess } from '../integration/sync/helpers/relay.js';

export type Dir = 'up' | 'down'; // up: client → relay; down: relay → client
export type Data = string | Uint8Array;
/** A hook's verdict: undefined = pass unchanged; 'drop'; or the frames to send instead (0..n). */
export type Verdict = undefined | 'drop' | Data[];
export type Hook = (dir: Dir, data: Data, link: Link) => Verdict | Promise<Verdict>;

export interface Captured {
  link: number;
  dir: Dir;
  data: Data;
}

export class Link {
  private chains: Record<Dir, Promise<void>> = { up: Promise.resolve(), down: Promise.resolve() };
  constructor(readonly id: number, readonly client: WebSocket, readonly upstream: WebSocket, private readonly proxy: HostileRelay) {}

  /** Send a frame as if it came from the relay (down) or the client (up), bypassing hooks. */
  inject(dir: Dir, data: Data): void {
    const ws = dir === 'down' ? this.client : this.upstream;
    if (ws.readyState === WebSocket.OPEN) ws.send(data, { binary: typeof data !== 'string' });
  }
  /** Cut the link (both sides). */
  cut(): void {
    this.client.terminate();
    this.upstream.terminate();
  }
  /** @internal frames keep their order per direction even when a hook is async. */
  forward(dir: Dir, data: Data): void {
    this.chains[dir] = this.chains[dir].then(async () => {
      this.proxy.captured.push({ link: this.id, dir, data });
      let out: Data[] = [data];
      for (const h of this.proxy.hooks) {
        const next: Data[] = [];
        for (const d of out) {
          const v = await h(dir, d, this);
          if (v === 'drop') continue;
          next.push(...(v === undefined ? [d] : v));
        }
        out = next;
      }
      for (const d of out) this.inject(dir, d);
    }).catch(() => undefined);
  }
}

export class HostileRelay {
  hooks: Hook[] = [];
  readonly captured: Captured[] = [];
  readonly links: Link[] = [];
  private constructor(readonly relay: RelayProcess, private readonly wss: WebSocketServer, readonly url: string) {}

  static async start(relay?: RelayProcess): Promise<HostileRelay> {
    const r = relay ?? (await startRelay());
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: 8 * 1024 * 1024 });
    await new Promise<void>((res) => wss.once('listening', () => res()));
    const port = (wss.address() as { port: number }).port;
    const h = new HostileRelay(r, wss, `ws://127.0.0.1:${port}`);
    wss.on('connection', (client) => h.accept(client));
    return h;
  }

  private accept(client: WebSocket): void {
    const upstream = new WebSocket(this.relay.url, { maxPayload: 8 * 1024 * 1024 });
    const link = new Link(this.links.length, client, upstream, this);
    this.links.push(link);
    const early: Data[] = [];
    const toData = (d: Buffer, bin: boolean): Data => (bin ? new Uint8Array(d) : d.toString('utf8'));
    client.on('message', (d: Buffer, bin: boolean) => {
      if (upstream.readyState === WebSocket.OPEN) link.forward('up', toData(d, bin));
      else early.push(toData(d, bin));
    });
    upstream.on('open', () => { for (const d of early.splice(0)) link.forward('up', d); });
    upstream.on('message', (d: Buffer, bin: boolean) => link.forward('down', toData(d, bin)));
    const closeCode = (c: number) => (c === 1000 || (c >= 3000 && c <= 4999) ? c : 1000);
    upstream.on('close', (code, reason) => { if (client.readyState <= WebSocket.OPEN) client.close(closeCode(code), reason); });
    client.on('close', (code, reason) => { if (upstream.readyState <= WebSocket.OPEN) upstream.close(closeCode(code), reason); });
    upstream.on('error', () => client.terminate());
    client.on('error', () => upstream.terminate());
  }

  /** Frames of one direction, text ones parsed as JSON (binary ones as {binary}). */
  frames(dir?: Dir): { dir: Dir; msg: Record<string, any> | null; data: Data }[] {
    return this.captured.filter((c) => !dir || c.dir === dir).map((c) => ({ dir: c.dir, data: c.data, msg: typeof c.data === 'string' ? safeJson(c.data) : null }));
  }

  /** Cut every live link (clients reconnect through the proxy, now with the current hooks). */
  cutAll(): void {
    for (const l of this.links) l.cut();
  }

  async stop(stopRelay = true): Promise<void> {
    this.cutAll();
    await new Promise<void>((r) => this.wss.close(() => r()));
    if (stopRelay) await this.relay.stop();
  }

  /** Run `fn` on every team database of the relay (opened directly with better-sqlite3). */
  withTeamDbs<T>(fn: (db: Database.Database, file: string) => T): T[] {
    return teamDbFiles(this.relay.dataDir).map((f) => {
      const db = new Database(join(this.relay.dataDir, f));
      db.pragma('busy_timeout = 5000');
      try {
        return fn(db, f);
      } finally {
        db.close();
      }
    });
  }
}

export function teamDbFiles(dataDir: string): string[] {
  return readdirSync(dataDir).filter((f) => /^team-[0-9a-f]+\.sqlite$/.test(f));
}

export function safeJson(t: string): Record<string, any> | null {
  try {
    const v = JSON.parse(t);
    return v && typeof v === 'object' ? v : null;
  } catch {
    return null;
  }
}

/** A hook that rewrites JSON text frames of `dir` matching `pred` with `fn` (return undefined to pass). */
export function rewriteJson(dir: Dir, fn: (msg: Record<string, any>, link: Link) => Record<string, any> | Data[] | 'drop' | undefined): Hook {
  return (d, data, link) => {
    if (d !== dir || typeof data !== 'string') return undefined;
    const msg = safeJson(data);
    if (!msg) return undefined;
    const out = fn(msg, link);
    if (out === undefined || out === 'drop') return out;
    return Array.isArray(out) ? out : [JSON.stringify(out)];
  };
}

/**
 * Remembers which request id asked what (per link), so a `down` hook can tell a pull answer
 * from a keys.get answer. Install it FIRST in `hooks`.
 */
export class RequestTracker {
  private readonly asked = new Map<string, Record<string, any>>();
  readonly hook: Hook = (dir, data, link) => {
    if (dir === 'up') {
      const m = typeof data === 'string' ? safeJson(data) : null;
      if (m && typeof m.id === 'number') this.asked.set(`${link.id}/${m.id}`, m);
      if (typeof data !== 'string' && data.length > 4) {
        const len = new DataView(data.buffer, data.byteOffset).getUint32(0, false);
        const h = safeJson(new TextDecoder().decode(data.subarray(4, 4 + len)));
        if (h && typeof h.id === 'number') this.asked.set(`${link.id}/${h.id}`, h);
      }
    }
    return undefined;
  };
  /** The request a `down` frame answers (by id), if any. */
  requestOf(link: Link, id: unknown): Record<string, any> | undefined {
    return typeof id === 'number' ? this.asked.get(`${link.id}/${id}`) : undefined;
  }
}

/** Byte-level helpers for binary frames. */
export function splitFrame(data: Uint8Array): { header: Record<string, any>; bytes: Uint8Array } {
  const len = new DataView(data.buffer, data.byteOffset).getUint32(0, false);
  return { header: JSON.parse(new TextDecoder().decode(data.subarray(4, 4 + len))), bytes: data.subarray(4 + len) };
}
export function joinFrame(header: Record<string, any>, bytes: Uint8Array): Uint8Array {
  const h = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(4 + h.length + bytes.length);
  new DataView(out.buffer).setUint32(0, h.length, false);
  out.set(h, 4);
  out.set(bytes, 4 + h.length);
  return out;
}

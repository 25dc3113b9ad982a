/**
 * Worker entry: runs Argon2id away from the UI thread, in a Worker that is terminated after
 * one derivation so its WASM memory (256 MiB at the unlock floor) is returned (DESIGN.md §2).
 *
 * Messages: kdf-request.ts (kind 'unlock': an account's unlock key; kind 'code': an access
 * code's seed). Reply {id, ok: true, key: Uint8Array(32)} | {id, ok: false, code, message};
 * the key buffer is transferred (not copied), and the request's secret bytes are zeroed.
 */
import { answerKdfRequest, type KdfRequest } from './kdf-request.js';
import { ready } from './sodium.js';

interface WorkerScope {
  onmessage: ((ev: MessageEvent<KdfRequest>) => void) | null;
  postMessage(msg: unknown, transfer?: Transferable[]): void;
}

const scope = globalThis as unknown as WorkerScope;
void ready(); // load libsodium at once: a spare worker is started before the password is typed

scope.onmessage = (ev) => {
  const req = ev.data;
  void ready().then(() => {
    const reply = answerKdfRequest(req);
    scope.postMessage(reply, reply.ok ? [reply.key.buffer] : []);
  }, (e: unknown) => {
    scope.postMessage({ id: req?.id, ok: false, code: 'INTERNAL', message: `libsodium did not load: ${e instanceof Error ? e.message : String(e)}` });
  });
};

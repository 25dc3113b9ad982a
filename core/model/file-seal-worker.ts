/** Worker entry: seals one file away from the UI thread (file-seal-job.ts, file-sealer.ts workerSealer). */
import { sealRequestHandler, type SealReply, type SealRequest } from './file-seal-job.js';

interface WorkerScope {
  onmessage: ((ev: MessageEvent<SealRequest>) => void) | null;
  postMessage(msg: SealReply): void;
}

const scope = globalThis as unknown as WorkerScope;
scope.onmessage = sealRequestHandler((m) => scope.postMessage(m));

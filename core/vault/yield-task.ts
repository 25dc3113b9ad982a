/** Giving the event loop back between slices of long work (file import, the summary index). */
/**
 * Lets the event loop run (input, rendering) between two chunks or slices: promise chains alone would run
 * a whole stretch of chunks (seal, hash, store, send: several copies of a MiB each) as one task.
 * scheduler.yield() in browsers that have it, else setImmediate (Node), else a MessageChannel
 * message — never setTimeout, whose 4 ms clamp would cost seconds per GiB.
 */
export function yieldTask(): Promise<void> {
  const g = globalThis as { scheduler?: { yield?: () => Promise<void> }; setImmediate?: (f: () => void) => void };
  if (g.scheduler?.yield) return g.scheduler.yield();
  if (g.setImmediate) return new Promise((r) => g.setImmediate!(r));
  if (typeof MessageChannel === 'undefined') return Promise.resolve();
  return new Promise((r) => {
    const c = new MessageChannel();
    c.port1.onmessage = () => { c.port1.close(); c.port2.close(); r(); };
    c.port2.postMessage(0);
  });
}


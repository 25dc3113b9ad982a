/**
 * Counts the frames SQLite appends to a `-wal` file while another process writes it, by reading
 * the file only (no checkpoint, no pragma, nothing that changes the writer's behaviour).
 *
 * WAL format (https://www.sqlite.org/fileformat.html#the_write_ahead_log): a 32-byte header
 * holding two salts, then frames of 24 + page-size bytes, each frame header repeating the salts
 * of its WAL generation. After a checkpoint the next writer restarts the WAL from frame 0 with
 * new salts (salt-1 is incremented), overwriting the old generation from the front. So at any
 * moment the file holds: frames 0..m-1 of the current generation, then the tail of older
 * generations (other salts). We poll every few milliseconds: the current generation's length m
 * is found by binary search on the frame headers' salts; when the header's salts change, the
 * old generation's final length is found the same way in the part the new one has not yet
 * overwritten (a generation is ≥ wal_autocheckpoint = 10 000 frames here, far more than one
 * poll interval's writes). Frames written = Σ over generations of their final lengths, minus
 * the frames present when metering started. A WAL truncated to zero (scrubWal after a deletion)
 * loses what was written since the last poll: the pushes measured here delete nothing.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

const HEADER = 32;
const FRAME_HEADER = 24;

export interface WalMeter {
  /** Stops polling; returns frames and bytes (frames × (24 + page size)) appended since start. */
  stop(): { frames: number; bytes: number; generations: number };
}

export function meterWal(walFile: string, everyMs = 5): WalMeter {
  const fd = openSync(walFile, 'r');
  const hdr = Buffer.alloc(HEADER);
  const fh = Buffer.alloc(8);
  let pageSize = 4096;
  const readHeader = (): { s1: number; s2: number } | null => {
    if (fstatSync(fd).size < HEADER) return null;
    readSync(fd, hdr, 0, HEADER, 0);
    pageSize = hdr.readUInt32BE(8) || pageSize;
    return { s1: hdr.readUInt32BE(16), s2: hdr.readUInt32BE(20) };
  };
  const frameCount = () => Math.floor(Math.max(0, fstatSync(fd).size - HEADER) / (FRAME_HEADER + pageSize));
  const hasSalts = (i: number, s: { s1: number; s2: number }) => {
    readSync(fd, fh, 0, 8, HEADER + i * (FRAME_HEADER + pageSize) + 8);
    return fh.readUInt32BE(0) === s.s1 && fh.readUInt32BE(4) === s.s2;
  };
  /** End of the run of frames with salts `s` starting at `from` (which must hold them, or be the end). */
  const endOf = (s: { s1: number; s2: number }, from: number) => {
    let lo = from, hi = frameCount(); // frames [from, lo) have the salts; the answer is in [lo, hi]
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (hasSalts(mid, s)) lo = mid + 1; else hi = mid;
    }
    return lo;
  };
  let gen = readHeader();
  const startFrames = gen ? endOf(gen, 0) : 0;
  let current = startFrames;
  let total = 0;
  let generations = 0;
  const poll = () => {
    const h = readHeader();
    if (!h) return;
    if (gen && (h.s1 !== gen.s1 || h.s2 !== gen.s2)) {
      const now = endOf(h, 0);
      // the old generation's frames not yet overwritten follow the new one's
      total += Math.max(current, now < frameCount() && hasSalts(now, gen) ? endOf(gen, now) : current);
      generations++;
      gen = h;
      current = now;
      return;
    }
    gen = h;
    current = endOf(h, 0);
  };
  const timer = setInterval(poll, everyMs);
  return {
    stop() {
      clearInterval(timer);
      poll();
      closeSync(fd);
      const frames = total + current - startFrames;
      return { frames, bytes: frames * (FRAME_HEADER + pageSize), generations };
    },
  };
}

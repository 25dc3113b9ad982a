/**
 * A check SQLite does not make: damage inside a team's `-wal` file. SQLite replays WAL frames
 * up to the first frame whose checksum chain breaks and silently ignores the rest, so bytes
 * flipped in an early frame drop every later commit while `quick_check` stays "ok" (the file it
 * sees is consistent, only older). We read the WAL before SQLite opens it (file format:
 * https://www.sqlite.org/fileformat.html#the_write_ahead_log) and call it damaged when, after
 * the break, frames of the same WAL generation (same salts) hold two or more further commits:
 * a crash can tear only the last transaction, so more than one commit past the break is damage.
 * What this cannot see: a WAL cut at a frame boundary looks like a crash before those commits.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

const HEADER = 32;
const FRAME_HEADER = 24;

/** Null if the WAL is absent, empty or whole (up to a torn last transaction); else why it is damaged. */
export function walDamage(walFile: string): string | null {
  let fd: number;
  try {
    fd = openSync(walFile, 'r');
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return null;
    throw e;
  }
  try {
    const size = fstatSync(fd).size;
    if (size < HEADER) return null;
    const head = Buffer.alloc(HEADER);
    readSync(fd, head, 0, HEADER, 0);
    const magic = head.readUInt32BE(0);
    const pageSize = head.readUInt32BE(8);
    const headerOk = (magic === 0x377f0682 || magic === 0x377f0683) && pageSize >= 512 && pageSize <= 65536 && (pageSize & (pageSize - 1)) === 0;
    const frameSize = FRAME_HEADER + (headerOk ? pageSize : 4096);
    const frames = Math.floor((size - HEADER) / frameSize);
    if (frames === 0) return null;
    const be = (magic & 1) === 1;
    let sums: [number, number] = [0, 0];
    let saltOk = headerOk;
    if (headerOk) {
      sums = checksum(head.subarray(0, 24), be, [0, 0]);
      saltOk = sums[0] === head.readUInt32BE(24) && sums[1] === head.readUInt32BE(28);
    }
    // The generation's salts: the header's when it is whole, else the first frame's.
    const frame = Buffer.alloc(frameSize);
    readSync(fd, frame, 0, frameSize, HEADER);
    const salt1 = saltOk ? head.readUInt32BE(16) : frame.readUInt32BE(8);
    const salt2 = saltOk ? head.readUInt32BE(20) : frame.readUInt32BE(12);
    let broken = saltOk ? -1 : 0;
    let commitsAfter = 0;
    for (let i = 0; i < frames; i++) {
      readSync(fd, frame, 0, frameSize, HEADER + i * frameSize);
      const sameGen = frame.readUInt32BE(8) === salt1 && frame.readUInt32BE(12) === salt2;
      if (broken < 0) {
        if (!sameGen) return null; // older generation's leftovers: the live WAL ends here
        sums = checksum(frame.subarray(FRAME_HEADER), be, checksum(frame.subarray(0, 8), be, sums));
        if (sums[0] === frame.readUInt32BE(16) && sums[1] === frame.readUInt32BE(20)) continue;
        broken = i;
      }
      if (sameGen && frame.readUInt32BE(4) !== 0) commitsAfter++;
    }
    return commitsAfter >= 2 ? `WAL frame ${broken} damaged with ${commitsAfter} commits after it` : null;
  } finally {
    closeSync(fd);
  }
}

/** SQLite's WAL checksum over `data` (a multiple of 8 bytes), continuing from `s`. */
function checksum(data: Buffer, bigEndian: boolean, s: [number, number]): [number, number] {
  let s0 = s[0], s1 = s[1];
  for (let i = 0; i < data.length; i += 8) {
    const x0 = bigEndian ? data.readUInt32BE(i) : data.readUInt32LE(i);
    const x1 = bigEndian ? data.readUInt32BE(i + 4) : data.readUInt32LE(i + 4);
    s0 = (s0 + x0 + s1) >>> 0;
    s1 = (s1 + x1 + s0) >>> 0;
  }
  return [s0, s1];
}

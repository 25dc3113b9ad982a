/** Every file under a relay data dir (team databases, their WAL, chunk files in subdirectories). */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export function dataFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/** The bytes of every file under `dir`, concatenated ("is it gone?" checks). */
export function dataBytes(dir: string, filter: (path: string) => boolean = () => true): Buffer {
  return Buffer.concat(dataFiles(dir).filter(filter).map((f) => readFileSync(f)));
}

#!/usr/bin/env node
// Layer rule (as Signal enforces with a lint rule): the pure core imports no UI, Electron or
// Node-only module; only core/crypto/sodium.ts imports libsodium; the relay takes nothing from
// the client but protocol/. Fails with the offending file and import.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const rules = [
  { dir: 'core', forbid: [/^react/, /^zustand/, /^electron/, /^node:/, /^(fs|path|os|crypto|child_process|net|http|https|worker_threads)$/, /^ws$/, /^better-sqlite3/, /^pg$/, /renderer\//, /main\//, /sync-server\//] },
  { dir: 'protocol', forbid: [/^react/, /^electron/, /^node:/, /^libsodium/, /^dexie/, /core\//, /renderer\//, /sync-server\//] },
  { dir: 'sync-server', forbid: [/^react/, /^electron/, /^dexie/, /^libsodium/, /(^|\/)core\//, /renderer\//, /main\//] },
  { dir: 'renderer', forbid: [/^libsodium/, /^dexie$/, /^electron/, /^node:/, /sync-server\//, /main\/(?!lock-policy\.js$)/] }, // main/lock-policy.ts is import-free and shared
];
const importRe = /(?:^|\n)\s*(?:import|export)\s[^'";]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* files(p);
    else if (/\.(ts|tsx)$/.test(name)) yield p;
  }
}

let bad = 0;
for (const { dir, forbid } of rules) {
  let entries;
  try { entries = [...files(join(root, dir))]; } catch { continue; }
  for (const file of entries) {
    const rel = relative(root, file);
    const src = readFileSync(file, 'utf8');
    for (const m of src.matchAll(importRe)) {
      const spec = m[1] ?? m[2];
      if (/libsodium/.test(spec) && rel !== 'core/crypto/sodium.ts') {
        console.error(`${rel}: imports ${spec} (only core/crypto/sodium.ts may import libsodium)`); bad++; continue;
      }
      if (rel === 'core/crypto/sodium.ts' && /libsodium/.test(spec)) continue;
      if (dir === 'core' && /^dexie$/.test(spec) && !rel.startsWith('core/store/')) {
        console.error(`${rel}: imports dexie (only core/store/ may)`); bad++; continue;
      }
      const hit = forbid.find((re) => re.test(spec));
      if (hit) { console.error(`${rel}: imports ${spec}, which the ${dir}/ layer must not`); bad++; }
    }
  }
}
if (bad) { console.error(`check-boundaries: ${bad} forbidden import(s)`); process.exit(1); }
console.log('check-boundaries: layers clean');

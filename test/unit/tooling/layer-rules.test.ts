/**
 * The layer rules (.dependency-cruiser.cjs via scripts/check-boundaries.js, i.e. what
 * `npm run lint:boundaries` runs) on planted fixture trees that mirror the repo's folders:
 * a clean tree passes; a tree with one planted violation per file fails with exactly the
 * expected rule for each file, and nothing else. Every rule in the config must be planted at
 * least once, so a rule added without a fixture, or deleted, fails here. The import forms the
 * old regex check let through (`import 'node:fs'`, `require('node:fs')`, `import('node:fs')`,
 * `export * from '../renderer/x'`), `import type` and `import x = require()` in a .cts file each
 * have their own fixture.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const script = join(repo, 'scripts/check-boundaries.js');
const config = createRequire(import.meta.url)(join(repo, '.dependency-cruiser.cjs')) as {
  forbidden: { name: string }[];
};

/** A tree that keeps every rule: each layer uses what it may. */
const CLEAN: Record<string, string> = {
  'core/crypto/sodium.ts': "import sodium from 'libsodium-wrappers-sumo';\nexport const ready = sodium.ready;\n",
  'core/store/dexie-store.ts': "import Dexie from 'dexie';\nexport const db = (n: string) => new Dexie(n);\n",
  // `<number>` is a cast in .ts (not JSX): proves .ts files are not parsed as .tsx.
  'core/model/item.ts':
    "import { z } from 'zod';\nimport { ready } from '../crypto/sodium.js';\nimport type { Msg } from '../../protocol/msg.js';\n" +
    'export const size = <number>(1 as unknown);\nexport const item = (m: Msg) => [m, ready, z];\n',
  // A cycle listed in the tree's known-violations file: tolerated.
  'core/known/x.ts': "import type { Y } from './y.js';\nexport type X = { y?: Y };\n",
  'core/known/y.ts': "import type { X } from './x.js';\nexport type Y = { x?: X };\n",
  'protocol/msg.ts': "import { z } from 'zod';\nexport const msg = z.object({ t: z.string() });\nexport type Msg = z.infer<typeof msg>;\n",
  'sync-server/relay.ts':
    "import { WebSocketServer } from 'ws';\nimport pg from 'pg';\nimport { readFile } from 'node:fs/promises';\n" +
    "import { msg } from '../protocol/msg.js';\nexport const relay = [WebSocketServer, pg, readFile, msg];\n",
  'renderer/x.ts': "export const x = 1;\n",
  'renderer/app.tsx':
    "import { useState } from 'react';\nimport { create } from 'zustand';\nimport { item } from '../core/model/item.js';\n" +
    "import { lockPolicy } from '../main/lock-policy.js';\nexport const App = () => <div>{String([useState, create, item, lockPolicy])}</div>;\n",
  'main/lock-policy.ts': 'export const lockPolicy = { idleMinutes: 10 };\n',
  // .cts is scanned too (main/preload.cts is one)
  'main/preload.cts': "import electron = require('electron');\nexport = electron;\n",
  'main/index.ts':
    "import { app } from 'electron';\nimport { join } from 'node:path';\nimport { lockPolicy } from './lock-policy.js';\n" +
    "import type { Msg } from '../protocol/msg.js';\nexport const start = (m: Msg) => [app, join, lockPolicy, m];\n",
};

/** The baseline format `--update-known` writes; a cycle matches on the set of its modules. */
const KNOWN = [
  {
    type: 'cycle',
    from: 'core/known/x.ts',
    to: 'core/known/y.ts',
    rule: { severity: 'error', name: 'no-circular' },
    cycle: [{ name: 'core/known/y.ts', dependencyTypes: [] }, { name: 'core/known/x.ts', dependencyTypes: [] }],
  },
  // a cycle since removed: tolerated silently it could come back, so the run says so
  {
    type: 'cycle',
    from: 'core/gone/a.ts',
    to: 'core/gone/b.ts',
    rule: { severity: 'error', name: 'no-circular' },
    cycle: ['core/gone/b.ts', 'core/gone/a.ts'],
  },
];
const STALE = 'check-boundaries: 1 known violation(s) no longer occur; shrink .dependency-cruiser-known-violations.json with --update-known\n';

/** file → [its source, the one rule it breaks]. */
const PLANTED: Record<string, [string, string]> = {
  'core/v/react.ts': ["import { useState } from 'react';\nexport const u = useState;\n", 'core-no-ui-electron-relay-libs'],
  'core/v/zustand.ts': ["import { create } from 'zustand';\nexport const c = create;\n", 'core-no-ui-electron-relay-libs'],
  'core/v/electron.ts': ["import type { App } from 'electron';\nexport type A = App;\n", 'core-no-ui-electron-relay-libs'],
  'core/v/ws.ts': ["import WebSocket from 'ws';\nexport const w = WebSocket;\n", 'core-no-ui-electron-relay-libs'],
  'core/v/pg.ts': ["import pg from 'pg';\nexport const p = pg;\n", 'core-no-ui-electron-relay-libs'],
  'core/v/sqlite.ts': ["import Database from 'better-sqlite3';\nexport const d = Database;\n", 'core-no-ui-electron-relay-libs'],
  'core/v/node-side-effect.ts': ["import 'node:fs';\nexport const n = 1;\n", 'core-no-node-builtins'],
  'core/v/node-require.ts': ["const fs = require('node:fs');\nexport const n = fs;\n", 'core-no-node-builtins'],
  'core/v/node-dynamic.ts': ["export const load = () => import('node:fs');\n", 'core-no-node-builtins'],
  'core/v/node-bare.ts': ["import { createHash } from 'crypto';\nexport const h = createHash;\n", 'core-no-node-builtins'],
  'core/v/export-star-renderer.ts': ["export * from '../../renderer/x.js';\n", 'core-no-upper-layers'],
  'core/v/type-renderer.ts': ["import type { App } from '../../renderer/app.js';\nexport type A = typeof App;\n", 'core-no-upper-layers'],
  'core/v/main.ts': ["import { lockPolicy } from '../../main/lock-policy.js';\nexport const l = lockPolicy;\n", 'core-no-upper-layers'],
  'core/v/relay.ts': ["import { relay } from '../../sync-server/relay.js';\nexport const r = relay;\n", 'core-no-upper-layers'],
  'core/v/sodium.ts': ["import sodium from 'libsodium-wrappers-sumo';\nexport const s = sodium;\n", 'libsodium-only-in-sodium-ts'],
  'core/v/dexie.ts': ["import Dexie from 'dexie';\nexport const d = Dexie;\n", 'dexie-only-in-core-store'],

  'protocol/v/core.ts': ["import { item } from '../../core/model/item.js';\nexport const i = item;\n", 'protocol-no-client-or-relay'],
  'protocol/v/relay.ts': ["export { relay } from '../../sync-server/relay.js';\n", 'protocol-no-client-or-relay'],
  'protocol/v/electron.ts': ["import { app } from 'electron';\nexport const a = app;\n", 'protocol-no-platform-libs'],
  'protocol/v/react.ts': ["import { useState } from 'react';\nexport const u = useState;\n", 'protocol-no-platform-libs'],
  'protocol/v/node-require.ts': ["const c = require('node:crypto');\nexport const h = c;\n", 'protocol-no-node-builtins'],
  'protocol/v/sodium.ts': ["import 'libsodium-wrappers-sumo';\nexport const s = 1;\n", 'libsodium-only-in-sodium-ts'],
  'protocol/v/dexie.ts': ["export const d = () => import('dexie');\n", 'dexie-only-in-core-store'],

  'sync-server/v/core.ts': ["import { item } from '../../core/model/item.js';\nexport const i = item;\n", 'relay-only-protocol-from-client'],
  'sync-server/v/renderer.ts': ["export const load = () => import('../../renderer/x.js');\n", 'relay-only-protocol-from-client'],
  'sync-server/v/main.ts': ["export { lockPolicy } from '../../main/lock-policy.js';\n", 'relay-only-protocol-from-client'],
  'sync-server/v/react.ts': ["import { useState } from 'react';\nexport const u = useState;\n", 'relay-no-client-libs'],
  'sync-server/v/electron.ts': ["const e = require('electron');\nexport const a = e;\n", 'relay-no-client-libs'],
  'sync-server/v/sodium.ts': ["import sodium from 'libsodium-wrappers-sumo';\nexport const s = sodium;\n", 'libsodium-only-in-sodium-ts'],
  'sync-server/v/dexie.ts': ["import Dexie from 'dexie';\nexport const d = Dexie;\n", 'dexie-only-in-core-store'],

  'renderer/v/electron.ts': ["import { ipcRenderer } from 'electron';\nexport const i = ipcRenderer;\n", 'renderer-no-electron-or-relay-libs'],
  'renderer/v/ws.ts': ["import WebSocket from 'ws';\nexport const w = WebSocket;\n", 'renderer-no-electron-or-relay-libs'],
  'renderer/v/node-side-effect.ts': ["import 'node:fs';\nexport const n = 1;\n", 'renderer-no-node-builtins'],
  'renderer/v/relay.ts': ["import type { relay } from '../../sync-server/relay.js';\nexport type R = typeof relay;\n", 'renderer-no-relay-or-main'],
  'renderer/v/main.ts': ["import '../../main/index.js';\nexport const m = 1;\n", 'renderer-no-relay-or-main'],
  'renderer/v/sodium.tsx': ["import sodium from 'libsodium-wrappers-sumo';\nexport const S = () => <i>{String(sodium)}</i>;\n", 'libsodium-only-in-sodium-ts'],
  'renderer/v/dexie.ts': ["import Dexie from 'dexie';\nexport const d = Dexie;\n", 'dexie-only-in-core-store'],

  'main/v/renderer.ts': ["import { x } from '../../renderer/x.js';\nexport const r = x;\n", 'main-no-ui'],
  'main/v/react.ts': ["import { createElement } from 'react';\nexport const c = createElement;\n", 'main-no-ui'],
  'main/v/core.ts': ["const c = require('../../core/model/item.js');\nexport const i = c;\n", 'main-no-core-or-relay'],
  'main/v/preload.cts': ["import r = require('../../renderer/x.js');\nexport = r;\n", 'main-no-ui'],
  'main/v/relay.ts': ["import { relay } from '../../sync-server/relay.js';\nexport const r = relay;\n", 'main-no-core-or-relay'],
  'main/v/sodium.ts': ["import sodium from 'libsodium-wrappers-sumo';\nexport const s = sodium;\n", 'libsodium-only-in-sodium-ts'],
  'main/v/dexie.ts': ["import Dexie from 'dexie';\nexport const d = Dexie;\n", 'dexie-only-in-core-store'],
  // shared with the renderer, so it must stay import-free (even of what main/ may use)
  'main/lock-policy.ts': ["import { join } from 'node:path';\nexport const lockPolicy = { join };\n", 'main-lock-policy-import-free'],

  // a new cycle, one direction type-only: reported once, from its first module
  'core/cyc/a.ts': ["import type { B } from './b.js';\nexport type A = { b?: B };\nexport const a = 1;\n", 'no-circular'],
  // a new edge into a module of a known cycle closes a new loop: still a failure
  'core/known/y.ts': ["import type { X } from './x.js';\nimport type { Z } from './z.js';\nexport type Y = { x?: X; z?: Z };\n", 'no-circular'],
};
/** Planted files that break no rule alone (the other ends of the cycles). */
const PLANTED_HELPERS: Record<string, string> = {
  'core/cyc/b.ts': "import { a } from './a.js';\nexport type B = { a: typeof a };\n",
  'core/known/z.ts': "import type { Y } from './y.js';\nexport type Z = { y?: Y };\n",
};

function plant(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'truhe-layers-'));
  for (const [path, source] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), source);
  }
  writeFileSync(join(root, '.dependency-cruiser-known-violations.json'), JSON.stringify(KNOWN));
  // resolve packages as in the repo (node_modules/react/…), not as bare unresolved names
  symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'), 'dir');
  return root;
}

function check(root: string) {
  const run = spawnSync(process.execPath, [script, '--root', root], { encoding: 'utf8' });
  const lines = run.stderr.split('\n').filter((l) => / \[[a-z-]+\] /.test(l));
  const found = lines.map((l) => `${l.slice(0, l.indexOf(':'))} ${/ \[([a-z-]+)\] /.exec(l)![1]}`);
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, lines, found };
}

describe('layer rules (npm run lint:boundaries)', () => {
  const roots: string[] = [];
  let clean: ReturnType<typeof check>;
  let planted: ReturnType<typeof check>;

  beforeAll(() => {
    const sources = Object.fromEntries(Object.entries(PLANTED).map(([p, [src]]) => [p, src]));
    roots.push(plant(CLEAN), plant({ ...CLEAN, ...PLANTED_HELPERS, ...sources }));
    clean = check(roots[0]!);
    planted = check(roots[1]!);
  });
  afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

  it('passes a clean tree, tolerating only the cycle listed as known, and names a stale known entry', () => {
    expect(clean.stderr).toBe('');
    expect(clean.status).toBe(0);
    expect(clean.stdout.startsWith(STALE)).toBe(true);
    expect(clean.stdout.slice(STALE.length)).toMatch(/^check-boundaries: layers clean, \d+ modules \(1 known, listed in \.dependency-cruiser-known-violations\.json\)\n$/);
  });

  it('plants every rule of the config at least once', () => {
    const rules = new Set(Object.values(PLANTED).map(([, rule]) => rule));
    expect([...rules].sort()).toEqual(config.forbidden.map((r) => r.name).sort());
  });

  it('fails each planted file with exactly its rule, and nothing else', () => {
    expect(planted.status).toBe(1);
    const expected = Object.entries(PLANTED).map(([file, [, rule]]) => `${file} ${rule}`);
    expect(planted.found.sort()).toEqual(expected.sort());
    expect(planted.stderr).toContain(`check-boundaries: ${expected.length} forbidden import(s) (1 known, listed in .dependency-cruiser-known-violations.json)`);
  });

  it('names the file, the import as written, how it was imported, and the rule', () => {
    const line = (file: string) => planted.lines.find((l) => l.startsWith(`${file}:`));
    expect(line('core/v/node-side-effect.ts')).toMatch(/^core\/v\/node-side-effect\.ts: imports 'node:fs' \(import\)  \[core-no-node-builtins\] core\/ runs in the browser/);
    expect(line('core/v/node-require.ts')).toMatch(/: imports 'node:fs' \(require\)  \[core-no-node-builtins\]/);
    expect(line('core/v/node-dynamic.ts')).toMatch(/: imports 'node:fs' \(dynamic-import\)  \[core-no-node-builtins\]/);
    expect(line('core/v/export-star-renderer.ts')).toMatch(/: imports '\.\.\/\.\.\/renderer\/x\.js' \(export\)  \[core-no-upper-layers\]/);
    expect(line('main/v/preload.cts')).toMatch(/: imports '\.\.\/\.\.\/renderer\/x\.js' \(import-equals\)  \[main-no-ui\]/);
    expect(line('core/known/y.ts')).toMatch(/: import cycle core\/known\/y\.ts -> core\/known\/z\.ts -> core\/known\/y\.ts  \[no-circular\]/);
    expect(line('core/cyc/a.ts')).toMatch(/: import cycle core\/cyc\/a\.ts -> core\/cyc\/b\.ts -> core\/cyc\/a\.ts  \[no-circular\]/);
  });
});

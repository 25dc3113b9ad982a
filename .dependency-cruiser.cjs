// Layer rules for Truhe, read from the syntax tree by dependency-cruiser (`npm run lint:boundaries`).
// Every import form counts: `import x from`, `import 'x'`, `export * from`, `require()`,
// dynamic `import()` and `import type`, so a type pulled from a layer above is a violation
// too: it ties the lower layer to the upper one's code. Run it through
// scripts/check-boundaries.js, not bare `depcruise` (see there why). Paths are relative to the
// tree's root; the layer test (test/unit/tooling/layer-rules.test.ts) runs this same file on a
// planted fixture tree.
// Cycles that existed when the rule came in were listed in
// .dependency-cruiser-known-violations.json; issue 18 removed them all (the list is empty), so
// any cycle fails.

/** A package, resolved (…node_modules/x/…, …node_modules/@types/x/…) or not (bare `x`). */
const pkg = (names) => `(^|/)node_modules/(@types/)?(${names})(/|$)|^(${names})(/|$)`;

const REACT = 'react[^/]*|zustand'; // react, react-dom, react-i18next, zustand
const ELECTRON = 'electron';
const RELAY_LIBS = 'ws|pg|better-sqlite3';
const SODIUM = 'libsodium[^/]*';
const DEXIE = 'dexie';

module.exports = {
  forbidden: [
    // --- core/: pure vault core, runs unchanged in the renderer, a browser page and Node.
    {
      name: 'core-no-ui-electron-relay-libs',
      comment: 'core/ is pure: no React/zustand, Electron, ws, pg or better-sqlite3',
      severity: 'error',
      from: { path: '^core/' },
      to: { path: pkg(`${REACT}|${ELECTRON}|${RELAY_LIBS}`) },
    },
    {
      name: 'core-no-node-builtins',
      comment: 'core/ runs in the browser: no node:* or Node built-in modules',
      severity: 'error',
      from: { path: '^core/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'core-no-upper-layers',
      comment: 'core/ imports nothing from renderer/, main/ or sync-server/',
      severity: 'error',
      from: { path: '^core/' },
      to: { path: '^(renderer|main|sync-server)/' },
    },
    {
      name: 'libsodium-only-in-sodium-ts',
      comment: 'only core/crypto/sodium.ts imports libsodium; everything else goes through it',
      severity: 'error',
      from: { pathNot: '^core/crypto/sodium\\.ts$' },
      to: { path: pkg(SODIUM) },
    },
    {
      name: 'dexie-only-in-core-store',
      comment: 'only core/store/ imports Dexie (the VaultStore port and its adapter)',
      severity: 'error',
      from: { pathNot: '^core/store/' },
      to: { path: pkg(DEXIE) },
    },

    // --- protocol/: schemas shared by client and relay; depends on neither.
    {
      name: 'protocol-no-client-or-relay',
      comment: 'protocol/ imports nothing from core/, renderer/, main/ or sync-server/',
      severity: 'error',
      from: { path: '^protocol/' },
      to: { path: '^(core|renderer|main|sync-server)/' },
    },
    {
      name: 'protocol-no-platform-libs',
      comment: 'protocol/ runs in browser and relay: no React, Electron, ws, pg or better-sqlite3',
      severity: 'error',
      from: { path: '^protocol/' },
      to: { path: pkg(`${REACT}|${ELECTRON}|${RELAY_LIBS}`) },
    },
    {
      name: 'protocol-no-node-builtins',
      comment: 'protocol/ runs in the browser too: no node:* or Node built-in modules',
      severity: 'error',
      from: { path: '^protocol/' },
      to: { dependencyTypes: ['core'] },
    },

    // --- sync-server/: the relay takes only protocol/ from the client side.
    {
      name: 'relay-only-protocol-from-client',
      comment: 'sync-server/ imports from the client side only protocol/ (not core/, renderer/, main/)',
      severity: 'error',
      from: { path: '^sync-server/' },
      to: { path: '^(core|renderer|main)/' },
    },
    {
      name: 'relay-no-client-libs',
      comment: 'sync-server/ imports no React/zustand or Electron (Dexie, libsodium: rules above)',
      severity: 'error',
      from: { path: '^sync-server/' },
      to: { path: pkg(`${REACT}|${ELECTRON}`) },
    },

    // --- renderer/: UI; reaches OS features only through the Platform interface.
    {
      name: 'renderer-no-electron-or-relay-libs',
      comment: 'renderer/ runs sandboxed: no Electron (use Platform), ws, pg or better-sqlite3',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: pkg(`${ELECTRON}|${RELAY_LIBS}`) },
    },
    {
      name: 'renderer-no-node-builtins',
      comment: 'renderer/ runs sandboxed: no node:* or Node built-ins (use Platform)',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'renderer-no-relay-or-main',
      comment:
        'renderer/ imports nothing from sync-server/, and from main/ only main/lock-policy.ts ' +
        '(import-free, shared so the idle/absolute lock rules exist once)',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: '^(sync-server/|main/)', pathNot: '^main/lock-policy\\.ts$' },
    },
    {
      name: 'main-lock-policy-import-free',
      comment: 'main/lock-policy.ts is bundled into the renderer too, so it imports nothing',
      severity: 'error',
      from: { path: '^main/lock-policy\\.ts$' },
      to: { path: '.' },
    },

    // --- main/: Electron main, thin: windows, OS dialogs, safeStorage, IPC. No vault logic.
    {
      name: 'main-no-ui',
      comment: 'main/ imports no renderer/ code and no React/zustand',
      severity: 'error',
      from: { path: '^main/' },
      to: { path: `^renderer/|${pkg(REACT)}` },
    },
    {
      name: 'main-no-core-or-relay',
      comment:
        'main/ imports nothing from core/ (the vault core and its keys live in the renderer) ' +
        'or sync-server/; shared pure rules come from protocol/',
      severity: 'error',
      from: { path: '^main/' },
      to: { path: '^(core|sync-server)/' },
    },

    // --- everywhere
    {
      name: 'no-circular',
      comment: 'no import cycles, type-only ones included',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // `import type` counts: a cycle or a layer breach through types is one. (With the swc
    // parser type-only imports are always kept; this keeps them if the parser changes.)
    tsPreCompilationDeps: true,
    // TypeScript 7 has no JS API, so parse with swc (scripts/check-boundaries.js turns on JSX
    // for .tsx). `.js` specifiers resolve to the .ts/.tsx source (dependency-cruiser fallback).
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    parser: 'swc',
    progress: { type: 'none' },
  },
};

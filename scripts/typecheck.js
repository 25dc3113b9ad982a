#!/usr/bin/env node
// `npm run typecheck`: the whole project, then main/ (and its tests) against Electron's own types.
// Electron's types come with the `electron` package. Where it is missing (removed by hand, or an
// install that left it out), main/ cannot be checked: say so in one line and go on, so `npm test`
// still runs everything else. CI (CI=1) always has the package, so there a missing one fails.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');

function check(project) {
  const r = spawnSync(process.execPath, [tsc, '-p', project, '--noEmit'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function electronTypesPresent() {
  try {
    createRequire(import.meta.url).resolve('electron/electron.d.ts');
    return true;
  } catch {
    return false;
  }
}

check('tsconfig.json');
if (electronTypesPresent()) {
  check('main/tsconfig.json');
  check('test/unit/main/tsconfig.json');
} else if (process.env.CI) {
  console.error('typecheck: Electron\'s types (node_modules/electron/electron.d.ts) are missing, and CI must check main/ against them.');
  process.exit(1);
} else {
  console.log('typecheck: Electron\'s types are absent (the electron package is not installed); main/ was not type-checked.');
}

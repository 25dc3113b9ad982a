#!/usr/bin/env node
// truhe-relay: runs the relay compiled to plain JavaScript in dist/relay (built by
// `npm run build:relay`, and by `npm pack` through the prepack script), so a production install
// (`npm ci --omit=dev`, the Docker image) needs no TypeScript tooling. Only in a development
// checkout, where dist/relay is missing or older than the sources, does it run the TypeScript
// sources through tsx instead, and says so on stderr.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const compiled = new URL('../../dist/relay/sync-server/cli.js', import.meta.url);
const sources = new URL('../cli.ts', import.meta.url);

function newestSource(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = `${dir}/${e.name}`;
    if (e.isDirectory() && e.name !== 'bin') newest = Math.max(newest, newestSource(p));
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

function compiledIsCurrent() {
  if (!existsSync(compiled)) return false;
  if (!existsSync(sources)) return true; // a packed release: no sources to compare with
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const built = statSync(compiled).mtimeMs;
  return newestSource(`${root}sync-server`) <= built && newestSource(`${root}protocol`) <= built;
}

if (compiledIsCurrent()) {
  const { main } = await import(compiled.href);
  const code = await main(process.argv.slice(2));
  if (code !== 0) process.exit(code);
} else {
  let tsx = true;
  try {
    createRequire(import.meta.url).resolve('tsx');
  } catch {
    tsx = false;
  }
  if (!existsSync(sources) || !tsx) {
    process.stderr.write('truhe-relay: the compiled relay (dist/relay) is missing. Install a packed release (npm pack), or run `npm run build:relay` in a development checkout.\n');
    process.exit(1);
  }
  process.stderr.write(`truhe-relay: dist/relay is ${existsSync(compiled) ? 'older than the sources' : 'not built'}; running the TypeScript sources through tsx (development checkout; \`npm run build:relay\` compiles it).\n`);
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(sources), ...process.argv.slice(2)], { stdio: 'inherit' });
  for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

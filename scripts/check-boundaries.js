#!/usr/bin/env node
// Layer rules (as Signal enforces with a lint rule), read from the syntax tree by
// dependency-cruiser: the rules themselves are in .dependency-cruiser.cjs. This runner exists
// because TypeScript 7 has no JavaScript API, so dependency-cruiser parses with swc, and
// dependency-cruiser 17 calls swc without JSX support; we turn JSX on for .tsx files only
// (in .ts files `<T>x` is a cast, not JSX).
//
//   node scripts/check-boundaries.js                 check the repo (npm run lint:boundaries)
//   node scripts/check-boundaries.js --root DIR      check another tree with the same rules (tests)
//   node scripts/check-boundaries.js --update-known  rewrite the known-cycles baseline (cycles only)
//
// Known cycles (<root>/.dependency-cruiser-known-violations.json, dependency-cruiser's baseline
// format; empty since issue 18 removed the Session-hub cycles) are tolerated; anything else fails with
// file, import and rule. A reported cycle counts as known when every edge of it lies on a known
// cycle: a cycle made only of old edges is an old cycle, so untangling the known ones never
// flags a "new" one, while a single new edge that closes a loop always does.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const LAYERS = ['core', 'protocol', 'sync-server', 'renderer', 'main'];
const KNOWN = '.dependency-cruiser-known-violations.json';

const args = process.argv.slice(2);
const rootArg = args.indexOf('--root');
const root = resolve(rootArg >= 0 ? args[rootArg + 1] : repo);
const updateKnown = args.includes('--update-known');

// dependency-cruiser imports the same CommonJS @swc/core object, so this patch reaches it.
const swc = createRequire(import.meta.url)('@swc/core');
const parseFileSync = swc.parseFileSync;
swc.parseFileSync = (file, options) =>
  parseFileSync(file, file.endsWith('.tsx') ? { ...options, tsx: true } : options);

const { cruise } = await import('dependency-cruiser');
const { default: loadConfig } = await import('dependency-cruiser/config-utl/extract-depcruise-config');

const config = await loadConfig(join(repo, '.dependency-cruiser.cjs'));
const knownFile = join(root, KNOWN);
const known = !updateKnown && existsSync(knownFile) ? JSON.parse(readFileSync(knownFile, 'utf8')) : [];
process.chdir(root); // rule paths (^core/ …) are relative to the tree's root
const dirs = LAYERS.filter((d) => existsSync(d));
// dependency-cruiser's swc mode skips .cts/.mts when scanning folders (main/preload.cts),
// but parses them when named, so name them.
const moduleTs = dirs.flatMap((d) =>
  readdirSync(d, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.[cm]ts$/.test(f) && !f.split(/[\\/]/).includes('node_modules'))
    .map((f) => join(d, f)),
);
const { output } = await cruise(
  [...dirs, ...moduleTs],
  { validate: true, ruleSet: config, outputType: 'json' },
  {},
  {},
);
const result = typeof output === 'string' ? JSON.parse(output) : output;

/** A cycle as its closed walk of edges "a>b", from `from` through `cycle` back to `from`. */
const edgesOf = (from, cycle) => {
  const walk = [from, ...cycle.map((m) => m.name ?? m)];
  return walk.slice(1).map((to, i) => `${walk[i]}>${to}`);
};
const knownEdges = new Set(known.filter((k) => k.cycle).flatMap((k) => edgesOf(k.from, k.cycle)));
const isKnown = (v) =>
  v.cycle
    ? edgesOf(v.from, v.cycle).every((e) => knownEdges.has(e))
    : known.some((k) => !k.cycle && k.rule.name === v.rule.name && k.from === v.from && k.to === v.to);
const all = result.summary.violations;
let violations = all.filter((v) => !isKnown(v));
const tolerated = all.length - violations.length;

if (updateKnown) {
  // Only cycles may be recorded as known; a layer breach is fixed, not baselined.
  const cycles = violations.filter((v) => v.rule.name === 'no-circular');
  const baseline = cycles.map(({ type, from, to, rule, cycle }) => ({ type, from, to, rule, cycle }));
  writeFileSync(knownFile, `${JSON.stringify(baseline, null, 2)}\n`);
  console.log(`check-boundaries: wrote ${baseline.length} known cycle(s) to ${KNOWN}`);
  violations = violations.filter((v) => !cycles.includes(v));
}

/** The specifier as written in the source (`node:fs`, `../renderer/x.js`) and how it was imported. */
function importOf(from, to) {
  const dep = result.modules.find((m) => m.source === from)?.dependencies.find((d) => d.resolved === to);
  if (!dep) return `'${to}'`;
  const how = dep.dependencyTypes.filter((t) => !/^(local|npm.*|core|unknown|undetermined)$/.test(t));
  return `'${dep.protocol ?? ''}${dep.module}' (${how.join(', ') || 'import'})`;
}

const comments = new Map(config.forbidden.map((r) => [r.name, r.comment]));
for (const v of violations) {
  const why = `[${v.rule.name}] ${comments.get(v.rule.name) ?? ''}`;
  if (v.cycle) console.error(`${v.from}: import cycle ${[v.from, ...v.cycle.map((c) => c.name)].join(' -> ')}  ${why}`);
  else console.error(`${v.from}: imports ${importOf(v.from, v.to)}  ${why}`);
}

// A known cycle whose edges are gone would let the same cycle come back unnoticed: say so.
const graph = new Set(result.modules.flatMap((m) => m.dependencies.map((d) => `${m.source}>${d.resolved}`)));
const stale = known.filter((k) => (k.cycle ? edgesOf(k.from, k.cycle) : [`${k.from}>${k.to}`]).some((e) => !graph.has(e)));
if (stale.length) {
  console.log(`check-boundaries: ${stale.length} known violation(s) no longer occur; shrink ${KNOWN} with --update-known`);
}
const tail = tolerated ? ` (${tolerated} known, listed in ${KNOWN})` : '';
if (violations.length) {
  console.error(`check-boundaries: ${violations.length} forbidden import(s)${tail}`);
  process.exit(1);
}
console.log(`check-boundaries: layers clean, ${result.summary.totalCruised} modules${tail}`);

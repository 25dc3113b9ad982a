#!/usr/bin/env node
/**
 * Summarises Stryker's JSON report (reports/mutation/mutation.json, mutation-testing-report-schema)
 * per mutated file: killed / timeout / survived / no coverage, and the mutation score
 * (killed + timeout) / (all valid mutants), as Stryker computes it. Writes
 * reports/mutation/scores.json and prints a table. `npm run mutation` runs it after Stryker.
 * Usage: node scripts/mutation-scores.js [report.json] [scores.json]
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

const input = process.argv[2] ?? 'reports/mutation/mutation.json';
const output = process.argv[3] ?? 'reports/mutation/scores.json';
const report = JSON.parse(readFileSync(input, 'utf8'));

const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);

function summarise(mutants) {
  const count = (s) => mutants.filter((m) => m.status === s).length;
  const detected = mutants.filter((m) => DETECTED.has(m.status)).length;
  const undetected = mutants.filter((m) => UNDETECTED.has(m.status)).length;
  const valid = detected + undetected;
  return {
    mutants: mutants.length,
    killed: count('Killed'),
    timeout: count('Timeout'),
    survived: count('Survived'),
    noCoverage: count('NoCoverage'),
    invalid: mutants.length - valid,
    score: valid === 0 ? null : Math.round((detected / valid) * 10_000) / 100,
  };
}

const files = {};
const all = [];
for (const [path, f] of Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b))) {
  files[path] = summarise(f.mutants);
  files[path].surviving = f.mutants
    .filter((m) => UNDETECTED.has(m.status))
    .map((m) => ({ line: m.location.start.line, status: m.status, mutator: m.mutatorName, replacement: m.replacement ?? null }));
  all.push(...f.mutants);
}
const out = { generatedAt: new Date().toISOString(), total: summarise(all), files };
mkdirSync(dirname(output), { recursive: true });
writeFileSync(output, JSON.stringify(out, null, 2) + '\n');

const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);
const width = Math.max(5, ...Object.keys(files).map((p) => p.length));
console.log(`${pad('file', width)} ${lpad('score', 7)} ${lpad('killed', 7)} ${lpad('timeout', 8)} ${lpad('survived', 9)} ${lpad('no cov', 7)} ${lpad('total', 6)}`);
for (const [path, s] of [...Object.entries(files), ['TOTAL', out.total]]) {
  console.log(`${pad(path, width)} ${lpad(s.score === null ? '-' : s.score.toFixed(2), 7)} ${lpad(s.killed, 7)} ${lpad(s.timeout, 8)} ${lpad(s.survived, 9)} ${lpad(s.noCoverage, 7)} ${lpad(s.mutants, 6)}`);
}
console.log(`scores written to ${output}`);

/**
 * Benchmark runner: imports every bench/*-bench.ts module, calls its exported
 * `run({quick})` → BenchRow[], prints one table and writes bench/results.json.
 *   BENCH_ONLY=crypto,sync   run only modules whose file name starts with one of these
 *   BENCH_QUICK=1            skip the slow rows (e.g. 1 GiB files)
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

export interface BenchRow {
  bench: string;
  name: string;
  value: number;
  unit: string;
  /** The target from the issue this row measures (e.g. "< 2 s"), printed beside the figure. */
  goal?: string;
  note?: string;
}
export interface BenchOptions {
  quick: boolean;
}

const here = dirname(fileURLToPath(import.meta.url));
const only = (process.env.BENCH_ONLY ?? '').split(',').map((s) => s.trim()).filter(Boolean);
const quick = process.env.BENCH_QUICK === '1';

const files = readdirSync(here).filter((f) => f.endsWith('-bench.ts')).sort()
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)));

const rows: BenchRow[] = [];
const failures: { bench: string; error: string }[] = [];
for (const f of files) {
  const bench = f.replace(/-bench\.ts$/, '');
  process.stderr.write(`bench: running ${bench}${quick ? ' (quick)' : ''}…\n`);
  try {
    const mod = (await import(pathToFileURL(join(here, f)).href)) as { run?: (o: BenchOptions) => Promise<BenchRow[]> | BenchRow[] };
    if (typeof mod.run !== 'function') throw new Error(`${f} exports no run()`);
    rows.push(...(await mod.run({ quick })).map((r) => ({ ...r, bench: r.bench || bench })));
  } catch (e) {
    failures.push({ bench, error: e instanceof Error ? e.message : String(e) });
    process.stderr.write(`bench: ${bench} failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  }
}

const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2));
const table = rows.map((r) => [r.bench, r.name, fmt(r.value), r.unit, r.goal ?? '', r.note ?? '']);
const head = ['bench', 'metric', 'value', 'unit', 'goal', 'note'];
const widths = head.map((h, i) => Math.max(h.length, ...table.map((t) => t[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => (i === 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
console.log(line(head));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const t of table) console.log(line(t));

const out = { at: new Date().toISOString(), node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model ?? '', quick, rows, failures };
writeFileSync(join(here, 'results.json'), `${JSON.stringify(out, null, 2)}\n`);
if (failures.length) process.exitCode = 1;

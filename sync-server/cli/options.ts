/** Option helpers shared by the truhe-relay subcommands: flags, their TRUHE_RELAY_* env twins, usage errors. */
import type { ParseArgsConfig } from 'node:util';

export type CliOptions = NonNullable<ParseArgsConfig['options']>;
export type CliValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** A mistake in how the command was called: exit code 2, message without a stack. */
export class UsageError extends Error {}

/** `--name` from the command line, else `TRUHE_RELAY_NAME` from the environment. */
export function opt(values: CliValues, name: string): string | undefined {
  const v = values[name];
  if (typeof v === 'string') return v;
  const env = process.env[`TRUHE_RELAY_${name.toUpperCase().replace(/-/g, '_')}`];
  return env === undefined || env === '' ? undefined : env;
}

export function intOpt(values: CliValues, name: string): number | undefined {
  const v = opt(values, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new UsageError(`--${name} must be a non-negative integer`);
  return n;
}

/** A subcommand: its options, one summary line for `truhe-relay --help`, full help for `<cmd> --help`. */
export interface CliCommand {
  readonly summary: string;
  readonly help: string;
  readonly options: CliOptions;
  /** Resolves to the exit code; `serve` resolves once listening and keeps the process alive. */
  run(values: CliValues): Promise<number>;
}

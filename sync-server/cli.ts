/**
 * truhe-relay CLI: `truhe-relay <command> [options]`, `truhe-relay --help`,
 * `truhe-relay <command> --help`. Each command (cli/*.ts) brings its options and help text;
 * adding one is one entry in COMMANDS. `serve` prints exactly one stdout line
 * `listening on <url>`; logs (JSON, no addresses or ids) go to stderr. Exit codes: 0 ok,
 * 1 failure, 2 usage error.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { backupCommand, backupKeygenCommand, migrateCommand, restoreCommand } from './cli/data-commands.js';
import { enrollCommand } from './cli/enroll.js';
import { UsageError, type CliCommand } from './cli/options.js';
import { serveCommand } from './cli/serve.js';

export const COMMANDS: Readonly<Record<string, CliCommand>> = {
  serve: serveCommand,
  enroll: enrollCommand,
  backup: backupCommand,
  'backup-keygen': backupKeygenCommand,
  restore: restoreCommand,
  migrate: migrateCommand,
};

/** The options `truhe-relay <command>` parses: the command's own plus --help/-h. */
export function commandOptions(command: CliCommand): CliCommand['options'] {
  return { ...command.options, help: { type: 'boolean', short: 'h' } };
}

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `usage: truhe-relay <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nRun "truhe-relay <command> --help" for a command's options.\n`;
}

export async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    (first === undefined ? process.stderr : process.stdout).write(usage());
    return first === undefined ? 2 : 0;
  }
  // `truhe-relay --data DIR` (flags only) still means `serve`, as before.
  const [name, args] = first.startsWith('-') ? ['serve', argv] : [first, rest];
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  try {
    if (!command) throw new UsageError(`unknown command "${name}"\n\n${usage()}`);
    const { values } = parseArgs({ args, options: commandOptions(command), strict: true, allowPositionals: false });
    if (values.help === true) {
      process.stdout.write(command.help);
      return 0;
    }
    return await command.run(values);
  } catch (e) {
    const usageError = e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    const hint = usageError && command ? ` (see truhe-relay ${name} --help)` : '';
    process.stderr.write(`truhe-relay: ${(e as Error).message}${e instanceof UsageError ? '' : hint}\n`);
    return usageError ? 2 : 1;
  }
}

const entry = process.argv[1] ?? '';
if (entry !== '' && (import.meta.url === pathToFileURL(entry).href || entry.endsWith('sync-server/cli.ts'))) {
  void main(process.argv.slice(2)).then((code) => {
    if (code !== 0) process.exit(code);
  });
}

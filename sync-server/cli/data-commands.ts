/** `truhe-relay backup | restore | migrate`: the data-folder commands. */
import { backupDataDir, restoreDataDir } from '../backup.js';
import { formatSummary, migrateSqliteToPg } from '../migrate.js';
import { intOpt, opt, UsageError, type CliCommand } from './options.js';

export const backupCommand: CliCommand = {
  summary: 'consistent snapshot of a data folder while the relay runs',
  options: { data: { type: 'string' }, out: { type: 'string' } },
  help: `usage: truhe-relay backup --data DIR --out OUT

Writes an online SQLite backup of every file in DIR (while clients write) to the new folder OUT,
with manifest.json listing each file's SHA-256. The files are ciphertext already.
  --data DIR   the relay's data folder (or TRUHE_RELAY_DATA)
  --out OUT    where to write the backup (created; must not hold a backup already)
`,
  async run(values) {
    const data = opt(values, 'data'), out = values['out'];
    if (!data || typeof out !== 'string') throw new UsageError('backup needs --data and --out');
    const m = await backupDataDir(data, out);
    process.stdout.write(`backup of ${m.files.length} files written to ${out}\n`);
    return 0;
  },
};

export const restoreCommand: CliCommand = {
  summary: 'restore a backup into a data folder (stop the relay first)',
  options: { from: { type: 'string' }, data: { type: 'string' }, force: { type: 'boolean' } },
  help: `usage: truhe-relay restore --from OUT --data DIR [--force]

Checks every file of the backup in OUT against its manifest (SHA-256) and copies it into DIR.
Refuses a non-empty DIR unless --force. Stop the relay before, start it after.
  --from OUT   a folder written by truhe-relay backup
  --data DIR   the relay's data folder (or TRUHE_RELAY_DATA)
  --force      overwrite a non-empty data folder
`,
  async run(values) {
    const from = values['from'], data = opt(values, 'data');
    if (typeof from !== 'string' || !data) throw new UsageError('restore needs --from and --data');
    const m = restoreDataDir(from, data, values['force'] === true);
    process.stdout.write(`restored ${m.files.length} files into ${data}\n`);
    return 0;
  },
};

export const migrateCommand: CliCommand = {
  summary: 'copy every team from SQLite files to PostgreSQL',
  options: { from: { type: 'string' }, to: { type: 'string' }, 'pool-size': { type: 'string' } },
  help: `usage: truhe-relay migrate --from sqlite:DIR --to postgres://… [--pool-size N]

Copies every team from the SQLite data folder DIR into PostgreSQL, verifies row counts and
SHA-256 of every table, and prints a summary. Exit code 1 when the verification fails.
`,
  async run(values) {
    const from = values['from'], to = values['to'];
    if (typeof from !== 'string' || !from.startsWith('sqlite:') || typeof to !== 'string' || !/^postgres(ql)?:\/\//.test(to)) {
      throw new UsageError('migrate needs --from sqlite:DIR --to postgres://…');
    }
    const s = await migrateSqliteToPg({ from, to, poolSize: intOpt(values, 'pool-size') });
    process.stdout.write(formatSummary(s));
    return s.ok ? 0 : 1;
  },
};

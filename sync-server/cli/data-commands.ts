/** `truhe-relay backup | restore | migrate`: the data-folder commands. */
import { readFileSync, writeFileSync } from 'node:fs';
import { backupDataDir, restoreDataDir } from '../backup.js';
import { newBackupKeyPair, parsePublicKey, parseSecretKey } from '../backup-crypto.js';
import { formatSummary, migrateSqliteToPg } from '../migrate.js';
import { intOpt, opt, UsageError, type CliCommand } from './options.js';

export const backupCommand: CliCommand = {
  summary: 'consistent snapshot of a data folder while the relay runs',
  options: { data: { type: 'string' }, out: { type: 'string' }, key: { type: 'string' } },
  help: `usage: truhe-relay backup --data DIR --out OUT --key OPERATOR.pub

Writes an online SQLite backup of every file in DIR (while clients write) to the new folder OUT,
encrypted to the operator's public key, with manifest.json listing each file's SHA-256. Failed-
login rows and the relay secret are left out (R13).
  --data DIR   the relay's data folder (or TRUHE_RELAY_DATA)
  --out OUT    where to write the backup (created; must not hold a backup already)
  --key FILE   the operator public key file (see truhe-relay backup-keygen)
`,
  async run(values) {
    const data = opt(values, 'data'), out = values['out'], key = opt(values, 'backup-key') ?? values['key'];
    if (!data || typeof out !== 'string' || typeof key !== 'string') throw new UsageError('backup needs --data, --out and --key (the operator public key file, see backup-keygen)');
    const m = await backupDataDir(data, out, parsePublicKey(readFileSync(key, 'utf8')));
    process.stdout.write(`backup of ${m.files.length} files written to ${out} (encrypted)\n`);
    return 0;
  },
};

export const restoreCommand: CliCommand = {
  summary: 'restore a backup into a data folder (stop the relay first)',
  options: { from: { type: 'string' }, data: { type: 'string' }, key: { type: 'string' }, force: { type: 'boolean' } },
  help: `usage: truhe-relay restore --from OUT --data DIR --key OPERATOR [--force]

Checks every file of the backup in OUT against its manifest (SHA-256), decrypts it with the
operator's secret key and copies it into DIR; the restored relay starts a new generation, so
clients notice and upload again what the backup lacks. Refuses a non-empty DIR unless --force.
Stop the relay before, start it after.
  --from OUT   a folder written by truhe-relay backup
  --data DIR   the relay's data folder (or TRUHE_RELAY_DATA)
  --key FILE   the operator secret key file (for an encrypted backup)
  --force      overwrite a non-empty data folder
`,
  async run(values) {
    const from = values['from'], data = opt(values, 'data'), key = values['key'];
    if (typeof from !== 'string' || !data) throw new UsageError('restore needs --from and --data (and --key for an encrypted backup)');
    const m = restoreDataDir(from, data, values['force'] === true, typeof key === 'string' ? parseSecretKey(readFileSync(key, 'utf8')) : undefined);
    process.stdout.write(`restored ${m.files.length} files into ${data}\n`);
    return 0;
  },
};

export const backupKeygenCommand: CliCommand = {
  summary: 'make the operator key pair backups are encrypted to',
  options: { out: { type: 'string' } },
  help: `usage: truhe-relay backup-keygen --out FILE

Writes the secret key to FILE (keep it off the relay host) and the public key to FILE.pub
(the relay's backup job needs only that one). Refuses to overwrite either file.
`,
  async run(values) {
    const out = values['out'];
    if (typeof out !== 'string') throw new UsageError('backup-keygen needs --out (the secret key file; the public key goes to <out>.pub)');
    const k = newBackupKeyPair();
    writeFileSync(out, k.secretText, { mode: 0o600, flag: 'wx' });
    writeFileSync(`${out}.pub`, k.publicText, { mode: 0o644, flag: 'wx' });
    process.stdout.write(`secret key written to ${out} (keep it off the relay host), public key to ${out}.pub\n`);
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

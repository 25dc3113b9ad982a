/** `truhe-relay enroll`: the operator decides who may open a team (DESIGN.md §8). */
import { issueEnrollmentToken } from '../enrollment.js';
import { openBackend } from '../storage/postgres/open-backend.js';
import { intOpt, opt, UsageError, type CliCommand } from './options.js';

export const enrollCommand: CliCommand = {
  summary: 'print a one-time token that lets one new team be created',
  options: { data: { type: 'string' }, db: { type: 'string' }, 'valid-hours': { type: 'string' } },
  help: `usage: truhe-relay enroll --data DIR [--valid-hours 72]
       truhe-relay enroll --db postgres://… [--valid-hours 72]

Prints a one-time enrollment token on stdout. Give it to the firm that creates its team on this
relay (the app asks for it when creating a team); it works once, until it expires. The relay
keeps only its SHA-256. The relay may run meanwhile.
  --data DIR         the relay's data folder (or TRUHE_RELAY_DATA)
  --db postgres://…  the relay's PostgreSQL database instead
  --valid-hours N    1 to 720 (default 72)
`,
  async run(values) {
    const hours = intOpt(values, 'valid-hours') ?? 72;
    if (hours < 1 || hours > 24 * 30) throw new UsageError('--valid-hours must be between 1 and 720');
    const data = opt(values, 'data'), db = opt(values, 'db');
    if (!data && !db) throw new UsageError('enroll needs --data or --db');
    const { storage } = await openBackend({ data: data ?? '', db, poolSize: 1 });
    try {
      const token = await issueEnrollmentToken(storage, Date.now(), hours * 3600_000);
      process.stdout.write(`${token}\n`);
      process.stderr.write(`truhe-relay: one-time enrollment token, valid ${hours} h: give it to the firm that creates its team\n`);
      return 0;
    } finally {
      await storage.close();
    }
  },
};

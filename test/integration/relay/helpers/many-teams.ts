/** Many team files for the relay's scale tests and bench (issue 15): one small file copied n times. */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createSqliteStorage, GLOBAL_FILE, teamFileName } from '../../../../sync-server/storage/sqlite/index.js';
import { newId } from './client.js';
import { accountReg, deviceReg, newMember, RosterLog, type Member } from './fixtures.js';

/**
 * `n` teams sharing one owner identity (a team file holds no team id: the same first account and
 * device are valid in every copy), made by copying one small file (512-byte pages) n times and
 * registering each copy in global.sqlite.
 */
export async function manyTeams(dir: string, n: number): Promise<{ teams: string[]; owner: Member }> {
  const owner = newMember();
  const first = newId();
  const tpl = new Database(join(dir, teamFileName(first)));
  tpl.pragma('page_size = 512');
  tpl.exec('VACUUM');
  tpl.close();
  const st = createSqliteStorage({ dir });
  const roster = new RosterLog(first);
  const created = await st.createTeam(first, accountReg(owner) as never, deviceReg(owner) as never, roster.genesis(owner) as never, [{ epoch: 0, account: owner.account, wrapped: 'AAAA' }] as never, Date.now());
  await st.close();
  if (created !== true) throw new Error('manyTeams: the template team was not created');
  const teams = [first];
  const g = new Database(join(dir, GLOBAL_FILE));
  const ins = g.prepare('INSERT INTO teams VALUES (?,?,?)');
  g.transaction(() => {
    for (let i = 1; i < n; i++) {
      const t = newId();
      copyFileSync(join(dir, teamFileName(first)), join(dir, teamFileName(t)));
      ins.run(t, teamFileName(t), Date.now());
      teams.push(t);
    }
  })();
  g.close();
  return { teams, owner };
}

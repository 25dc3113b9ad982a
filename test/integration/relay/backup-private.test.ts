/**
 * Backups keep R13 and R5 (issue 15): a snapshot of a live relay holds no failed-login row and
 * no address-HMAC secret, no file of it is readable without the operator's secret key (not even
 * the SQLite header shows), a wrong key or an altered file makes restore fail loudly, and
 * `truhe-relay restore --key` brings back a relay that serves every record. Real processes, real files.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { newKeys, TestClient } from './helpers/client.js';
import { dataBytes } from './helpers/data-dir.js';
import { connectDevice, createShare, createTeam, record } from './helpers/fixtures.js';
import { startProcess, tempDir, type RelayProcess } from './helpers/relay-harness.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
const dirs: string[] = [];
const procs: RelayProcess[] = [];
afterAll(async () => {
  for (const p of procs) if (p.proc.exitCode === null) await p.kill9();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const dir = () => { const d = tempDir('bk'); dirs.push(d); return d; };
const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'sync-server/cli.ts', ...args], { cwd: ROOT, encoding: 'utf8' });
const allBytes = (d: string) => dataBytes(d);

describe('private backups (real relay process)', () => {
  it('no failed-login row, no HMAC secret, unreadable without the operator key; restore --key serves everything', async () => {
    const data = dir();
    const p = await startProcess(data);
    procs.push(p);
    const { c, team, owner } = await createTeam(p.url);
    const log = await createShare(c, owner);
    const recs = Array.from({ length: 25 }, () => record({ kind: 'account', id: owner.account }));
    expect((await c.request({ type: 'push', share: log.share, records: recs })).type).toBe('ok');
    // a failed login: the relay now holds a rate-limit row (keyed by an HMAC of the address) and the HMAC secret
    const bad = await TestClient.open(p.url);
    await bad.hello();
    bad.send({ type: 'auth', method: 'device', team, device: owner.device, sig: bad.authSig(newKeys(), team, 'device', owner.device) });
    expect((await bad.next()).code).toBe('AUTH_FAILED');
    const g = new Database(join(data, 'global.sqlite'), { readonly: true });
    const sources = g.prepare('SELECT source FROM auth_failures').pluck().all() as string[];
    const secret = g.prepare("SELECT v FROM secrets WHERE k = 'relay'").pluck().get() as Buffer;
    g.close();
    expect(sources.length).toBe(1);
    expect(secret.length).toBe(32);

    const keyDir = dir();
    const key = join(keyDir, 'operator.key');
    expect(cli('backup-keygen', '--out', key).status).toBe(0);
    const out = join(dir(), 'snap');
    expect(cli('backup', '--data', data, '--out', out).status).toBe(2); // no key: refused, nothing written
    expect(existsSync(join(out, 'manifest.json'))).toBe(false);
    const b = cli('backup', '--data', data, '--out', out, '--key', `${key}.pub`);
    expect(b.status, b.stderr).toBe(0);
    c.close();
    expect(await p.stop()).toBe(0);

    // unreadable without the key: every file is ciphertext (no SQLite header, no record body, no id, no secret, no row key)
    expect(readdirSync(out).sort()).toEqual(['global.sqlite.enc', 'manifest.json', readdirSync(data).find((n) => n.startsWith('team-'))! + '.enc'].sort());
    const snap = allBytes(out);
    expect(snap.includes(Buffer.from('SQLite format 3'))).toBe(false);
    expect(snap.includes(Buffer.from(recs[0]!.body))).toBe(false);
    expect(snap.includes(Buffer.from(owner.account))).toBe(false);
    expect(snap.includes(secret)).toBe(false);
    expect(snap.includes(Buffer.from(sources[0]!))).toBe(false);

    // a wrong key: restore fails loudly and leaves no usable data
    const wrong = join(keyDir, 'wrong.key');
    expect(cli('backup-keygen', '--out', wrong).status).toBe(0);
    const d1 = dir();
    const w = cli('restore', '--from', out, '--data', d1, '--key', wrong);
    expect(w.status).toBe(1);
    expect(w.stderr).toContain('does not decrypt with this key');
    expect(cli('restore', '--from', out, '--data', dir()).stderr).toContain('encrypted; give --key');
    // an altered file: refused against the manifest
    const altered = join(dir(), 'snap');
    expect(cli('backup', '--data', data, '--out', altered, '--key', `${key}.pub`).status).toBe(0);
    const enc = join(altered, 'global.sqlite.enc');
    const bytes = readFileSync(enc);
    bytes[100] = bytes[100]! ^ 1;
    writeFileSync(enc, bytes);
    expect(cli('restore', '--from', altered, '--data', dir(), '--key', key).stderr).toContain('does not match the manifest');

    // the right key: restored, no failed-login row, no old secret, and every record served
    const d2 = dir();
    const r = cli('restore', '--from', out, '--data', d2, '--key', key);
    expect(r.status, r.stderr).toBe(0);
    const rg = new Database(join(d2, 'global.sqlite'), { readonly: true });
    expect(rg.prepare('SELECT count(*) FROM auth_failures').pluck().get()).toBe(0);
    // no relay secret (made anew on first start); only the new generation the restore starts
    expect(rg.prepare("SELECT k FROM secrets ORDER BY k").pluck().all()).toEqual(['generation']);
    rg.close();
    expect(allBytes(d2).includes(secret)).toBe(false);
    const p2 = await startProcess(d2);
    procs.push(p2);
    const { c: c2, first } = await connectDevice(p2.url, team, owner);
    expect(first.type).toBe('welcome');
    const pulled = await c2.request({ type: 'pull', share: log.share, since: 0, limit: 100 });
    expect(pulled.records.map((x: { body: string }) => x.body).sort()).toEqual(recs.map((x) => x.body).sort());
    c2.close();
    expect(await p2.stop()).toBe(0);
  }, 240_000);

  it('fails loudly: a data dir without relay data, or an output that cannot be written, exits non-zero with no manifest', { timeout: 120_000 }, async () => {
    const keyDir = dir();
    const key = join(keyDir, 'k');
    expect(cli('backup-keygen', '--out', key).status).toBe(0);
    const empty = dir();
    const out = join(dir(), 'snap');
    const e = cli('backup', '--data', empty, '--out', out, '--key', `${key}.pub`);
    expect(e.status).toBe(1);
    expect(e.stderr).toContain('holds no relay data');
    expect(existsSync(join(out, 'manifest.json'))).toBe(false);
    const file = join(dir(), 'not-a-dir');
    writeFileSync(file, 'x');
    const f = cli('backup', '--data', empty, '--out', join(file, 'snap'), '--key', `${key}.pub`);
    expect(f.status).toBe(1);
  });

  it('deploy/backup.sh fails loudly when the off-site storage is not mounted: exit 1, failure metric, no snapshot', () => {
    const base = dir();
    const env = {
      PATH: process.env.PATH!, STATE: join(base, 'state'), LOCAL: join(base, 'local'), OFFSITE_MOUNT: join(base, 'not-mounted'),
      OFFSITE: join(base, 'not-mounted', 'truhe'), REMOTE: 'nobody@invalid:x', BACKUP_KEY: join(base, 'k.pub'), STATUS_DIR: join(base, 'status'),
    };
    const r = spawnSync('sh', [join(ROOT, 'deploy/backup.sh')], { env, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('not mounted');
    expect(readFileSync(join(base, 'status', 'truhe_backup.prom'), 'utf8')).toMatch(/^truhe_backup_last_failure_timestamp_seconds \d+$/m);
    expect(existsSync(join(base, 'local'))).toBe(false);
  });
});

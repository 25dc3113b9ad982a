/**
 * The deploy files as an administrator uses them: Debian's nginx and Caddy validate the shipped
 * proxy configs, systemd verifies the unit, and every `truhe-relay` command line in the unit,
 * the Dockerfile, backup.sh and the deploy guide is one the CLI accepts. A missing binary skips
 * its check with a message (.ci/run installs nginx and caddy).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMANDS, commandOptions } from '../../../sync-server/cli.js';

const deploy = new URL('../../../deploy/', import.meta.url);
const read = (name: string) => readFileSync(new URL(name, deploy), 'utf8');
const tmp = mkdtempSync(join(tmpdir(), 'truhe-deploy-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function has(bin: string): boolean {
  const found = spawnSync('sh', ['-c', `command -v ${bin}`]).status === 0;
  if (!found) console.warn(`deploy-configs: ${bin} is not installed; its check is SKIPPED (.ci/run installs it)`);
  return found;
}

/** nginx's own test of the shipped site file inside a minimal main config, with a throwaway certificate. */
function nginxTest(site: string): { status: number | null; out: string } {
  const dir = mkdtempSync(join(tmp, 'nginx-'));
  const cert = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/CN=relay.example.de',
    '-days', '2', '-keyout', join(dir, 'privkey.pem'), '-out', join(dir, 'fullchain.pem')]);
  if (cert.status !== 0) throw new Error(`openssl failed: ${cert.stderr}`);
  writeFileSync(join(dir, 'site.conf'), site.replaceAll('/etc/letsencrypt/live/relay.example.de/', `${dir}/`).replaceAll('/var/log/nginx/', `${dir}/`));
  writeFileSync(join(dir, 'nginx.conf'), `pid ${dir}/nginx.pid;\nerror_log ${dir}/error.log;\nevents {}\nhttp {\n  access_log off;\n  client_body_temp_path ${dir}/body;\n  proxy_temp_path ${dir}/proxy;\n  include ${dir}/site.conf;\n}\n`);
  const r = spawnSync('nginx', ['-t', '-p', dir, '-c', join(dir, 'nginx.conf')], { encoding: 'utf8' });
  return { status: r.status, out: r.stderr + r.stdout };
}

function nginxVersion(): number[] {
  const m = /nginx\/(\d+)\.(\d+)\.(\d+)/.exec(spawnSync('nginx', ['-v'], { encoding: 'utf8' }).stderr);
  return m ? m.slice(1).map(Number) : [0, 0, 0];
}

describe('proxy configs', () => {
  it('nginx.conf passes `nginx -t` (no `http2 on;`, which nginx < 1.25.1 such as Debian 12\'s 1.22 rejects)', (ctx) => {
    if (!has('nginx') || !has('openssl')) return ctx.skip();
    const site = read('nginx.conf');
    const r = nginxTest(site);
    expect(r.out).toMatch(/test is successful/);
    expect(r.status).toBe(0);
    expect(site).not.toMatch(/^\s*http2\s+on\s*;/m);
    const [major, minor, patch] = nginxVersion();
    if (major! * 1e6 + minor! * 1e3 + patch! < 1_025_001) {
      // The check above can fail: on this nginx the old line is an error.
      const old = nginxTest(site.replace('listen 443 ssl;', 'listen 443 ssl;\n    http2 on;'));
      expect(old.status).not.toBe(0);
      expect(old.out).toMatch(/unknown directive "http2"/);
    }
  });

  it('Caddyfile passes `caddy validate`', (ctx) => {
    if (!has('caddy')) return ctx.skip();
    const dir = mkdtempSync(join(tmp, 'caddy-'));
    writeFileSync(join(dir, 'Caddyfile'), read('Caddyfile').replaceAll('/var/log/caddy/', `${dir}/`));
    const r = spawnSync('caddy', ['validate', '--config', join(dir, 'Caddyfile'), '--adapter', 'caddyfile'], {
      encoding: 'utf8', timeout: 60_000, env: { ...process.env, HOME: dir, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir },
    });
    expect(r.stdout + r.stderr).toMatch(/Valid configuration/);
    expect(r.status).toBe(0);
  });
});

describe('systemd unit', () => {
  const unit = read('truhe-relay.service');

  it('allows @pkey (Node 20+ calls pkey_alloc at start) and bounds memory', () => {
    const filters = [...unit.matchAll(/^SystemCallFilter=(.*)$/gm)].map((m) => m[1]!.trim());
    expect(filters.find((f) => !f.startsWith('~'))!.split(/\s+/)).toEqual(expect.arrayContaining(['@system-service', '@pkey']));
    expect(filters.filter((f) => f.startsWith('~')).join(' ')).not.toMatch(/@pkey|pkey_/);
    expect(unit).toMatch(/^MemoryHigh=\d+[MG]$/m);
    expect(unit).toMatch(/^MemoryMax=\d+[MG]$/m);
  });

  it('passes `systemd-analyze verify` without a warning', (ctx) => {
    if (!has('systemd-analyze')) return ctx.skip();
    const file = join(tmp, 'truhe-relay.service');
    writeFileSync(file, unit);
    const r = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr.split('\n').filter((l) => l.includes('truhe-relay.service'))).toEqual([]);
    expect(r.status).toBe(0);
  });
});

/** Every `truhe-relay[.js] <command> …` in a text, with shell line continuations joined. */
function commandLines(text: string): { cmd: string; args: string[]; line: string }[] {
  const out: { cmd: string; args: string[]; line: string }[] = [];
  // Shell continuations joined; a command substitution $(…) is one value.
  for (const line of text.replace(/\\\n\s*/g, ' ').replace(/\$\([^)]*\)/g, 'VALUE').split('\n')) {
    const json = /CMD \[(.*)\]/.exec(line);
    const tokens = json ? (JSON.parse(`[${json[1]}]`) as string[]) : line.split(/\s+/);
    const at = tokens.findLastIndex((t) => /^(truhe-relay|\S*\/truhe-relay\.js)$/.test(t.replace(/[`"']/g, '')));
    if (at < 0 || !/^[a-z]+$/.test(tokens[at + 1] ?? '')) continue;
    const args: string[] = [];
    for (const t of tokens.slice(at + 2)) {
      if (/^(#|\||&&|;|`|\))/.test(t) || t === '') break;
      args.push(t.replace(/[`]$/, ''));
    }
    out.push({ cmd: tokens[at + 1]!, args, line: line.trim() });
  }
  return out;
}

describe('command lines in the deploy files', () => {
  const sources = ['truhe-relay.service', 'Dockerfile', 'README.md', 'backup.sh'];

  /** The guide's code: fenced blocks and `inline` spans, not its prose. */
  const code = (md: string) => [...md.matchAll(/```[a-z]*\n([\s\S]*?)```/g), ...md.replace(/```[\s\S]*?```/g, '').matchAll(/`([^`\n]+)`/g)].map((m) => m[1]).join('\n');

  it('use only commands and options the CLI has', () => {
    const found = sources.flatMap((name) => commandLines(name.endsWith('.md') ? code(read(name)) : read(name)).map((c) => ({ ...c, name })));
    expect(found.map((c) => `${c.name}: ${c.cmd}`)).toEqual(expect.arrayContaining([
      'truhe-relay.service: serve', 'Dockerfile: serve', 'README.md: restore', 'README.md: backup', 'README.md: serve', 'README.md: migrate', 'backup.sh: backup',
    ]));
    for (const c of found) {
      const command = COMMANDS[c.cmd];
      expect(command, `${c.name}: unknown command in ${c.line}`).toBeDefined();
      expect(() => parseArgs({ args: c.args, options: commandOptions(command!), strict: true, allowPositionals: false }), `${c.name}: ${c.line}`).not.toThrow();
    }
  });

  it('the check above catches a flag the CLI does not have', () => {
    const [c] = commandLines('truhe-relay serve --store postgres://x');
    expect(() => parseArgs({ args: c!.args, options: commandOptions(COMMANDS['serve']!), strict: true })).toThrow(/--store/);
  });
});

describe('Dockerfile', () => {
  const docker = read('Dockerfile');
  const stages = docker.split(/^FROM /m).slice(1);

  it('is multi-stage: the runtime holds the compiled relay and production packages, no sources or tsx', () => {
    expect(stages.map((s) => s.split('\n')[0])).toEqual(['${NODE_IMAGE} AS build', '${NODE_IMAGE} AS runtime']);
    const runtime = stages[1]!;
    expect(runtime).toMatch(/COPY --from=build \/src\/dist\/relay \.\/dist\/relay/);
    expect(runtime).not.toMatch(/tsx|COPY --from=build \/src\/sync-server \.|COPY --from=build \/src\/protocol/);
    expect(stages[0]).toMatch(/npm run build:relay/);
    expect(stages[0]).toMatch(/npm prune --omit=dev/);
  });

  it('runs as a non-root user with a HEALTHCHECK, on the current Node LTS', () => {
    const runtime = stages[1]!;
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^HEALTHCHECK .*\n?.*\/healthz/m);
    // A digest is added by deploy/pin-base-image.sh (the tag alone where no registry was reachable).
    expect(docker).toMatch(/^ARG NODE_IMAGE=node:26-trixie-slim(@sha256:[0-9a-f]{64})?$/m);
  });

  it('compose.yml runs it read-only with a tmpfs for SQLite temporary files', () => {
    const compose = read('compose.yml');
    expect(compose).toMatch(/read_only: true/);
    expect(compose).toMatch(/tmpfs:\n\s+- \/tmp/);
    expect(compose).toMatch(/"127\.0\.0\.1:8787:8787"/);
    expect(compose).toMatch(/cap_drop:\n\s+- ALL/);
  });
});

import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { readdirSync, readFileSync, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// electron-builder validates its configuration with app-builder-lib's scheme.json through its
// own validateSchema (ajv); the test uses exactly that, and js-yaml, which electron-builder
// itself loads .yml configs with.
const require = createRequire(import.meta.url);
const { validateSchema } = require('app-builder-lib/out/util/config/schemaValidator.js') as {
  validateSchema(schema: unknown, data: unknown, opts?: { name?: string }): void;
};
type Filter = (file: string, stat: Stats & { moduleFullFilePath?: string }) => boolean;
const { getNodeModuleFileMatcher, getMainFileMatchers } = require('app-builder-lib/out/fileMatcher.js') as {
  getNodeModuleFileMatcher(appDir: string, dest: string, expand: (s: string) => string, platformOptions: object, packager: object): { createFilter(): Filter };
  getMainFileMatchers(appDir: string, dest: string, expand: (s: string) => string, platformOptions: object, packager: object, outDir: string, isElectronCompile: boolean): { createFilter(): Filter }[];
};
const yaml = require('js-yaml') as { load(text: string): unknown };
const scheme: unknown = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8'));
const root = new URL('../../../', import.meta.url);
const rootDir = fileURLToPath(root).replace(/\/$/, '');
const config = yaml.load(readFileSync(new URL('electron-builder.yml', root), 'utf8')) as Record<string, any>;
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as Record<string, any>;
const lock = JSON.parse(readFileSync(new URL('package-lock.json', root), 'utf8')) as { packages: Record<string, { dev?: boolean; hasInstallScript?: boolean; version?: string }> };

/** What electron-builder would pack from node_modules: the production tree of the lockfile, filtered
 * by electron-builder's own node-module matcher built from our `files` (as platformPackager does). */
function packedNodeModuleFiles(): { path: string; bytes: number }[] {
  const packager = { config, debugLogger: { isEnabled: false } };
  const filter = getNodeModuleFileMatcher(rootDir, '/app', (s) => s, {}, packager).createFilter();
  const out: { path: string; bytes: number }[] = [];
  const walk = (pkgPath: string, dir: string) => {
    for (const name of readdirSync(join(rootDir, dir))) {
      if (name === 'node_modules') continue; // nested packages are their own lockfile entries
      const rel = `${dir}/${name}`;
      const stat = statSync(join(rootDir, rel)) as Stats & { moduleFullFilePath?: string };
      stat.moduleFullFilePath = rel;
      if (!filter(join(rootDir, rel), stat)) continue;
      if (stat.isDirectory()) walk(pkgPath, rel);
      else out.push({ path: rel, bytes: stat.size });
    }
  };
  for (const [path, meta] of Object.entries(lock.packages)) {
    if (!path.startsWith('node_modules/') || meta.dev) continue;
    try {
      statSync(join(rootDir, path));
    } catch {
      continue; // an optional package for another platform
    }
    walk(path, path);
  }
  return out;
}

describe('electron-builder.yml', () => {
  it("matches electron-builder's configuration schema", () => {
    expect(() => validateSchema(scheme, structuredClone(config), { name: 'electron-builder' })).not.toThrow();
  });

  it('the validator does catch mistakes (so the test above can fail)', () => {
    expect(() => validateSchema(scheme, { ...config, appIdd: 'x' })).toThrow(/appIdd/);
    expect(() => validateSchema(scheme, { ...config, nsis: { oneClick: 'maybe' } })).toThrow(/oneClick/);
    expect(() => validateSchema(scheme, { ...config, electronFuses: { runAsNod: false } })).toThrow(/electronFuses/);
  });

  it('builds the promised targets with the promised identity, and publishes nowhere', () => {
    expect(config['appId']).toBe('de.truhe.app');
    expect(config['productName']).toBe('Truhe');
    expect(config['linux'].target).toEqual(['AppImage', 'deb']);
    expect(config['win'].target).toEqual(['nsis']);
    expect(config['mac'].target).toEqual(['dmg']);
    expect(config['protocols']).toEqual([{ name: 'Truhe join link', schemes: ['truhe'] }]);
    // Updates come through the firm's software distribution (docs/packaging.md), never a feed.
    expect(config['publish']).toBeNull();
  });

  it('flips every fuse the hardening needs', () => {
    expect(config['electronFuses']).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
    expect(config['asar']).toBe(true);
  });

  it('has what the deb target and the desktop entry need (homepage, author with e-mail, desktopName)', () => {
    expect(pkg['homepage']).toMatch(/^https:\/\//);
    expect(pkg['author'].email).toMatch(/@/);
    expect(pkg['desktopName']).toBe(`${config['linux'].executableName}.desktop`);
  });

  it('pins the Electron version the project installs, a major with an install script no longer', () => {
    expect(config['electronVersion']).toBe(pkg['devDependencies'].electron);
    expect(Number(String(config['electronVersion']).split('.')[0])).toBeGreaterThanOrEqual(45);
    // Electron >= 42 downloads its binary on first use, not at install: `npm install` works
    // without GitHub and still brings Electron's types (main/ is type-checked against them).
    expect(lock.packages['node_modules/electron']?.version).toBe(config['electronVersion']);
    expect(lock.packages['node_modules/electron']?.hasInstallScript).toBeUndefined();
    expect(pkg['dependencies']['electron']).toBeUndefined();
  });

  it('signs macOS with our own hardened-runtime entitlements (JIT only, no library-validation bypass)', () => {
    expect(config['mac'].hardenedRuntime).toBe(true);
    expect(config['mac'].entitlements).toBe('resources/entitlements.mac.plist');
    expect(config['mac'].entitlementsInherit).toBe('resources/entitlements.mac.plist');
    const plist = readFileSync(new URL('resources/entitlements.mac.plist', root), 'utf8').replace(/<!--[\s\S]*?-->/g, '');
    expect([...plist.matchAll(/<key>([^<]+)<\/key>/g)].map((m) => m[1])).toEqual(['com.apple.security.cs.allow-jit']);
    // No credentials in the repository: signing and notarization read the environment.
    expect(readFileSync(new URL('electron-builder.yml', root), 'utf8')).not.toMatch(/password:|\.p12|\.pfx|appleId:/i);
  });

  it('packs only zod from node_modules: no relay, native, dev-only or Electron-download packages', () => {
    const files = packedNodeModuleFiles();
    const packages = new Set(files.map((f) => f.path.split('/').slice(1, f.path.split('/')[1]!.startsWith('@') ? 3 : 2).join('/')));
    expect([...packages]).toEqual(['zod']);
    for (const banned of ['electron', '@electron/get', 'got', 'extract-zip', '@napi-rs/canvas', 'better-sqlite3', 'pg', 'pino', 'prom-client', 'ws', 'pdfjs-dist', 'react']) {
      expect(files.filter((f) => f.path.startsWith(`node_modules/${banned}/`))).toEqual([]);
    }
    expect(files.filter((f) => f.path.endsWith('.node'))).toEqual([]);
    expect(files.some((f) => f.path === 'node_modules/zod/package.json')).toBe(true);
    // The same filter, checked on the way: pino is a production dependency that is present on disk.
    expect(lock.packages['node_modules/pino']?.dev).toBeUndefined();
  });

  it('packs what main loads: dist/main (with the CommonJS preload), dist-web and the icon, and nothing else of the project', () => {
    expect(pkg['main']).toBe('dist/main/index.js');
    expect(config['files']).toEqual(expect.arrayContaining(['dist/main/**/*', 'dist-web/**/*', 'resources/icon.png']));
    expect(config['directories'].output).not.toBe('dist');
    const info = { config, debugLogger: { isEnabled: false }, projectDir: rootDir, buildResourcesDir: join(rootDir, 'resources'), isPrepackedAppAsar: false };
    const [main] = getMainFileMatchers(rootDir, '/app', (s) => s, {}, { info }, join(rootDir, 'release'), false);
    const filter = main!.createFilter();
    const file = (rel: string) => filter(join(rootDir, rel), { isDirectory: () => false } as Stats);
    expect(['package.json', 'dist/main/index.js', 'dist/main/preload.cjs', 'dist-web/index.html', 'resources/icon.png'].filter(file)).toHaveLength(5);
    expect(['sync-server/cli.ts', 'core/errors.ts', 'dist/relay/cli.js', 'deploy/Dockerfile', 'test/e2e/helpers.ts', '.data/relay/x.sqlite'].filter(file)).toEqual([]);
    const png = readFileSync(new URL('resources/icon.png', root));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(512);
    expect(png.readUInt32BE(20)).toBe(512);
    expect(pkg['scripts']['dist']).toMatch(/^npm run build && electron-builder/);
  });
});

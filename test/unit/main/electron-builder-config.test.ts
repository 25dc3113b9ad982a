import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

// electron-builder validates its configuration with app-builder-lib's scheme.json through its
// own validateSchema (ajv); the test uses exactly that, and js-yaml, which electron-builder
// itself loads .yml configs with.
const require = createRequire(import.meta.url);
const { validateSchema } = require('app-builder-lib/out/util/config/schemaValidator.js') as {
  validateSchema(schema: unknown, data: unknown, opts?: { name?: string }): void;
};
const yaml = require('js-yaml') as { load(text: string): unknown };
const scheme: unknown = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8'));
const root = new URL('../../../', import.meta.url);
const config = yaml.load(readFileSync(new URL('electron-builder.yml', root), 'utf8')) as Record<string, any>;

describe('electron-builder.yml', () => {
  it("matches electron-builder's configuration schema", () => {
    expect(() => validateSchema(scheme, structuredClone(config), { name: 'electron-builder' })).not.toThrow();
  });

  it('the validator does catch mistakes (so the test above can fail)', () => {
    expect(() => validateSchema(scheme, { ...config, appIdd: 'x' })).toThrow(/appIdd/);
    expect(() => validateSchema(scheme, { ...config, nsis: { oneClick: 'maybe' } })).toThrow(/oneClick/);
  });

  it('builds the promised targets with the promised identity, and publishes nowhere', () => {
    expect(config['appId']).toBe('de.truhe.app');
    expect(config['productName']).toBe('Truhe');
    expect(config['linux'].target).toEqual(['AppImage', 'deb']);
    expect(config['win'].target).toEqual(['nsis']);
    expect(config['mac'].target).toEqual(['dmg']);
    expect(config['protocols']).toEqual([{ name: 'Truhe join link', schemes: ['truhe'] }]);
    expect(config['publish']).toBeNull();
    expect(JSON.stringify(config)).not.toMatch(/update|github|s3|generic/i);
  });

  it('packs what main loads: dist/main (with the CommonJS preload), dist-web and the icon', () => {
    const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { main: string; scripts: Record<string, string> };
    expect(pkg.main).toBe('dist/main/index.js');
    expect(config['files']).toEqual(expect.arrayContaining(['dist/main/**/*', 'dist-web/**/*', 'resources/icon.png']));
    expect(config['directories'].output).not.toBe('dist');
    const png = readFileSync(new URL('resources/icon.png', root));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(512);
    expect(png.readUInt32BE(20)).toBe(512);
    expect(pkg.scripts['dist']).toBe('npm run build && electron-builder');
  });
});

import { describe, expect, it } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { buildMenuTemplate, chooseMenuLocale } from '../../../main/menu-template.js';

function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? flatten(i.submenu) : [])]);
}

describe('application menu', () => {
  it('chooses German for German systems, English otherwise', () => {
    expect(chooseMenuLocale(['de-DE', 'en-US'])).toBe('de');
    expect(chooseMenuLocale(['de'])).toBe('de');
    expect(chooseMenuLocale(['de_AT'])).toBe('de');
    expect(chooseMenuLocale(['en-GB', 'de-DE'])).toBe('en');
    expect(chooseMenuLocale(['dense'])).toBe('en');
    expect(chooseMenuLocale([])).toBe('en');
  });

  it('labels in the chosen language and wires Lock', () => {
    let locked = 0;
    const de = buildMenuTemplate({ locale: 'de', isMac: false, isPackaged: true, onLock: () => locked++, onAbout: () => {} });
    expect(de.map((m) => m.label)).toEqual(['Datei', 'Bearbeiten', 'Darstellung', 'Fenster', 'Hilfe']);
    const lock = flatten(de).find((i) => i.label === 'Sperren');
    expect(lock?.accelerator).toBe('CmdOrCtrl+L');
    (lock?.click as () => void)();
    expect(locked).toBe(1);
    const en = buildMenuTemplate({ locale: 'en', isMac: true, isPackaged: true, onLock: () => {}, onAbout: () => {} });
    expect(en.map((m) => m.label)).toEqual(['Truhe', 'File', 'Edit', 'View', 'Window']);
  });

  it('offers DevTools only in unpackaged builds', () => {
    const roles = (isPackaged: boolean) =>
      flatten(buildMenuTemplate({ locale: 'en', isMac: false, isPackaged, onLock: () => {}, onAbout: () => {} })).map((i) => i.role);
    expect(roles(true)).not.toContain('toggleDevTools');
    expect(roles(false)).toContain('toggleDevTools');
    expect(roles(true)).not.toContain('reload');
  });
});

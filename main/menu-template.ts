/**
 * The application menu in German or English. Pure: main passes the result to
 * Menu.buildFromTemplate. Roles give the OS-standard behaviour; labels are ours.
 */
import type { MenuItemConstructorOptions } from 'electron';

export type MenuLocale = 'de' | 'en';

/** German when the first preferred language is German, English otherwise. */
export function chooseMenuLocale(preferred: readonly string[]): MenuLocale {
  const first = preferred.find((l) => typeof l === 'string' && l.length > 0) ?? 'en';
  return /^de(?:[-_]|$)/i.test(first) ? 'de' : 'en';
}

const LABELS = {
  de: {
    file: 'Datei', lock: 'Sperren', quit: 'Truhe beenden', close: 'Fenster schließen',
    edit: 'Bearbeiten', undo: 'Widerrufen', redo: 'Wiederholen', cut: 'Ausschneiden',
    copy: 'Kopieren', paste: 'Einsetzen', selectAll: 'Alles auswählen',
    view: 'Darstellung', zoomIn: 'Vergrößern', zoomOut: 'Verkleinern', resetZoom: 'Originalgröße',
    fullscreen: 'Vollbild', devTools: 'Entwicklerwerkzeuge',
    window: 'Fenster', minimize: 'Minimieren',
    help: 'Hilfe', about: 'Über Truhe', hide: 'Truhe ausblenden', hideOthers: 'Andere ausblenden',
    unhide: 'Alle einblenden',
  },
  en: {
    file: 'File', lock: 'Lock', quit: 'Quit Truhe', close: 'Close Window',
    edit: 'Edit', undo: 'Undo', redo: 'Redo', cut: 'Cut',
    copy: 'Copy', paste: 'Paste', selectAll: 'Select All',
    view: 'View', zoomIn: 'Zoom In', zoomOut: 'Zoom Out', resetZoom: 'Actual Size',
    fullscreen: 'Toggle Full Screen', devTools: 'Developer Tools',
    window: 'Window', minimize: 'Minimize',
    help: 'Help', about: 'About Truhe', hide: 'Hide Truhe', hideOthers: 'Hide Others',
    unhide: 'Show All',
  },
} as const satisfies Record<MenuLocale, Record<string, string>>;

export function menuLabels(locale: MenuLocale): (typeof LABELS)[MenuLocale] {
  return LABELS[locale];
}

export interface MenuOptions {
  locale: MenuLocale;
  isMac: boolean;
  /** Packaged builds get no DevTools entry (and webPreferences.devTools is false too). */
  isPackaged: boolean;
  onLock(): void;
  onAbout(): void;
}

export function buildMenuTemplate(o: MenuOptions): MenuItemConstructorOptions[] {
  const t = LABELS[o.locale];
  const lock: MenuItemConstructorOptions = { label: t.lock, accelerator: 'CmdOrCtrl+L', click: () => o.onLock() };
  const appMenu: MenuItemConstructorOptions[] = o.isMac
    ? [{
        label: 'Truhe',
        submenu: [
          { label: t.about, click: () => o.onAbout() },
          { type: 'separator' },
          { role: 'hide', label: t.hide },
          { role: 'hideOthers', label: t.hideOthers },
          { role: 'unhide', label: t.unhide },
          { type: 'separator' },
          { role: 'quit', label: t.quit },
        ],
      }]
    : [];
  const file: MenuItemConstructorOptions = {
    label: t.file,
    submenu: o.isMac
      ? [lock, { type: 'separator' }, { role: 'close', label: t.close }]
      : [lock, { type: 'separator' }, { role: 'quit', label: t.quit }],
  };
  const edit: MenuItemConstructorOptions = {
    label: t.edit,
    submenu: [
      { role: 'undo', label: t.undo },
      { role: 'redo', label: t.redo },
      { type: 'separator' },
      { role: 'cut', label: t.cut },
      { role: 'copy', label: t.copy },
      { role: 'paste', label: t.paste },
      { role: 'selectAll', label: t.selectAll },
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: t.view,
    submenu: [
      { role: 'zoomIn', label: t.zoomIn },
      { role: 'zoomOut', label: t.zoomOut },
      { role: 'resetZoom', label: t.resetZoom },
      { type: 'separator' },
      { role: 'togglefullscreen', label: t.fullscreen },
      ...(o.isPackaged ? [] : [{ role: 'toggleDevTools', label: t.devTools } as MenuItemConstructorOptions]),
    ],
  };
  const windowMenu: MenuItemConstructorOptions = {
    label: t.window,
    submenu: [{ role: 'minimize', label: t.minimize }, { role: 'close', label: t.close }],
  };
  const help: MenuItemConstructorOptions = {
    label: t.help,
    submenu: o.isMac ? [] : [{ label: t.about, click: () => o.onAbout() }],
  };
  return [...appMenu, file, edit, view, windowMenu, ...(o.isMac ? [] : [help])];
}

import { app, Menu } from 'electron';
import type { AppContext } from './app-context.js';
import { buildMenuTemplate, chooseMenuLocale } from './menu-template.js';

export function setupMenu(ctx: AppContext): void {
  const locale = chooseMenuLocale([...app.getPreferredSystemLanguages(), app.getLocale()]);
  app.setAboutPanelOptions({ applicationName: 'Truhe', applicationVersion: app.getVersion() });
  const template = buildMenuTemplate({
    locale,
    isMac: process.platform === 'darwin',
    isPackaged: ctx.isPackaged,
    onLock: () => ctx.window?.webContents.send('event:lock', 'user'),
    onAbout: () => app.showAboutPanel(),
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

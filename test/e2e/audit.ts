/**
 * R16: records every request and WebSocket a browser context opens, so a spec can assert that
 * nothing leaves for anywhere but the local web server and the relay.
 */
import type { BrowserContext, Page } from '@playwright/test';
import { RELAY_URL, WEB_URL } from './ports.js';

export function recordNetwork(context: BrowserContext): { urls: string[]; foreign(): string[] } {
  const urls: string[] = [];
  const watch = (page: Page) => page.on('websocket', (ws) => urls.push(ws.url()));
  context.on('request', (r) => urls.push(r.url()));
  context.on('page', watch);
  for (const p of context.pages()) watch(p);
  const allowed = (u: string) => u.startsWith(`${WEB_URL}/`) || u === WEB_URL || u.startsWith(RELAY_URL) || u.startsWith('blob:') || u.startsWith('data:');
  return { urls, foreign: () => urls.filter((u) => !allowed(u)) };
}

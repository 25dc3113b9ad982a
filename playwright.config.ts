/**
 * End-to-end tests of the web client (dist-web/, built by `npm run test:e2e`) against a real
 * relay on a fresh data directory, with open enrollment (the UI creates teams without an
 * operator's token, as `npm start`'s loopback relay does). Debian's Chromium when present;
 * headless; one worker.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';
import { RELAY2_URL, RELAY_PORT, RELAY_URL, WEB_PORT, WEB_URL } from './test/e2e/ports.js';

const chromium = '/usr/bin/chromium';
const relayData = mkdtempSync(join(tmpdir(), 'truhe-e2e-relay-'));

export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '*.spec.ts',
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 20_000 },
  reporter: [['list']],
  outputDir: 'test-results/artifacts',
  use: {
    baseURL: WEB_URL,
    headless: true,
    trace: 'retain-on-failure',
    launchOptions: {
      ...(existsSync(chromium) ? { executablePath: chromium } : {}),
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
  webServer: [
    {
      command: `node test/e2e/serve-web.mjs ${WEB_PORT} ${RELAY_URL} ${RELAY2_URL}`,
      url: `${WEB_URL}/index.html`,
      reuseExistingServer: false,
      stdout: 'ignore',
    },
    {
      command: `node --import tsx sync-server/cli.ts serve --host 127.0.0.1 --port ${RELAY_PORT} --data ${relayData} --open-enrollment`,
      url: `http://127.0.0.1:${RELAY_PORT}/healthz`,
      reuseExistingServer: false,
      stdout: 'ignore',
      stderr: 'pipe',
      timeout: 60_000,
    },
  ],
});

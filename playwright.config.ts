import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'test/e2e',
  // The tests start the built browser shell: rebuilt first, so that they never run a stale one.
  globalSetup: './test/support/build-node-shells.ts',
  timeout: 60_000,
  workers: 1,
  reporter: [['list']],
  use: {
    viewport: { width: 1280, height: 800 },
    acceptDownloads: true,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
});

import { defineConfig } from 'vitest/config';

// The packaged app's test (`npm run test:package`): it builds the app and packs it with electron-builder
// (about a minute), so it runs apart from the unit tests.
export default defineConfig({
  test: { include: ['test/package/**/*.test.ts'], hookTimeout: 600_000 },
});

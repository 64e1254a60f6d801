import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Tests that spawn the CLI start processes: slow on a busy 2-core machine.
    testTimeout: 40_000,
    // Closing a desk waits for its sends, receiver and simulator to wind down; on a busy machine that can pass 10 s.
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          globalSetup: ['test/support/build-node-shells.ts'],
          include: ['test/unit/**/*.test.ts'],
          exclude: ['test/unit/sending-rate.test.ts', 'test/unit/sending-load.test.ts'],
        },
      },
      // The rate measurement runs alone, after the rest, so that other tests do not share its cores.
      {
        extends: true,
        test: { name: 'rate', include: ['test/unit/sending-rate.test.ts'], sequence: { groupOrder: 1 } },
      },
      // A 100,000-row campaign with its delivery reports: alone too, after the rate measurement.
      {
        extends: true,
        test: { name: 'load', include: ['test/unit/sending-load.test.ts'], sequence: { groupOrder: 2 } },
      },
    ],
  },
});

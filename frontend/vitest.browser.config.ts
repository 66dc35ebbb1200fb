import { defineConfig } from 'vitest/config';

// Browser tests: real headless Chromium against real mosaic-server
// processes, one file per feature. They run one at a time because each
// starts its own server and browser on a two-core machine.
export default defineConfig({
  test: {
    include: ['tests/browser/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['tests/support/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 300_000,
    reporters: ['verbose'],
  },
});

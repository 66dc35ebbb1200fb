import { defineConfig } from 'vitest/config';

// Unit tests: pure modules under src/, no browser and no server.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});

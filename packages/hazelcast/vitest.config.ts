import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Starts two private Hazelcast members (or uses HAZELCAST_MEMBERS) for the *.live.test.ts files.
    globalSetup: ['test/members/global-setup.ts'],
  },
});

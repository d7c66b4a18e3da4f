import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // The same private 2-member cluster @sess/hazelcast's live suites use (or HAZELCAST_MEMBERS).
    globalSetup: ['../../packages/hazelcast/test/members/global-setup.ts'],
  },
});

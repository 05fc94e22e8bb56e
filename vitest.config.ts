import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // Tests start real servers, stores and processes: give them room, and run files
    // in separate forks so a killed child or a native module cannot poison another file. The
    // timeouts are deadlines for hung tests, generous for a loaded machine, never a measure.
    pool: 'forks',
    // One throwaway PostgreSQL cluster per run for the central deployment's tests (issue 19).
    globalSetup: ['test/support/postgres-global-setup.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    reporters: ['default'],
  },
});

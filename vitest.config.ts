import os from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * The route tests that run a second time with their servers on PostgreSQL and a standalone store
 * (the `postgres` project; test/helpers/test-server.ts). Left out: tests of what exists only in
 * the embedded deployment (the embedded store and its single-PUT uploads, the audit key file,
 * SQLite's group commit and file, the lease table's renewal, the desktop's private files); the
 * data-layer tests under test/server/db cover their PostgreSQL counterparts in their own terms.
 */
const ROUTE_TESTS_ON_POSTGRES = [
  'test/server/auth.test.ts',
  'test/server/sign-out.test.ts',
  'test/server/login-throttle.test.ts',
  'test/server/login-limits.test.ts',
  'test/server/password-hashing.test.ts',
  'test/server/org-isolation.test.ts',
  'test/server/role-matrix.test.ts',
  'test/server/http-input.test.ts',
  'test/server/uploads.test.ts',
  'test/server/verified-dedup.test.ts',
  'test/server/abandoned-uploads.test.ts',
  'test/server/complete-hash-after-overwrite.test.ts',
  'test/server/batches-audit.test.ts',
  'test/server/delete-document.test.ts',
  'test/server/review-fields.test.ts',
  'test/server/phi-read-audit.test.ts',
  'test/server/failed-documents.test.ts',
  'test/server/audit-keyed-chain.test.ts',
  'test/server/providers-routes.test.ts',
  'test/server/providers-document-match.test.ts',
  'test/server/providers-folder-hint.test.ts',
  'test/server/compliance-caveats.test.ts',
  'test/server/workers-zero.test.ts',
  'test/server/lifecycle.test.ts',
  'test/server/password-policy.test.ts',
  'test/server/worker-crash.test.ts',
  'test/server/startup.test.ts',
];

export default defineConfig({
  test: {
    // Tests start real servers, stores and processes: give them room, and run files
    // in separate forks so a killed child or a native module cannot poison another file. The
    // timeouts are deadlines for hung tests, generous for a loaded machine, never a measure.
    pool: 'forks',
    // At least two files at a time: most of a file's time is spent waiting on the processes,
    // servers and timers it starts, and vitest's default (one less than the CPUs) ran a 2-CPU
    // machine's files one by one (CI: 37 min; 12 with two).
    maxWorkers: Math.max(2, os.availableParallelism() - 1),
    // One throwaway PostgreSQL cluster per project for the central deployment's tests (issue 19).
    globalSetup: ['test/support/postgres-global-setup.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    reporters: ['default'],
    projects: [
      { extends: true, test: { name: 'sqlite', include: ['test/**/*.test.ts', 'test/**/*.test.tsx'] } },
      {
        extends: true,
        test: { name: 'postgres', include: ROUTE_TESTS_ON_POSTGRES, env: { CREDMATE_TEST_DATABASE: 'postgres' } },
      },
    ],
  },
});

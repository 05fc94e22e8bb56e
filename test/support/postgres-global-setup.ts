import type { TestProject } from 'vitest/node';
import { startPostgresCluster } from './postgres-cluster';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The throwaway cluster's superuser URL on its maintenance database (test/support/postgres.ts). */
    postgresUrl: string;
  }
}

/**
 * vitest globalSetup: one throwaway PostgreSQL cluster per run, for every test of the central
 * deployment. When PostgreSQL is missing or cannot start, the run fails here with the reason and how
 * to install it: nothing is skipped (CI installs it in .ci/run).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cluster = await startPostgresCluster();
  project.provide('postgresUrl', cluster.url);
  return () => cluster.stop();
}

import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

/** A fresh, empty database on the run's throwaway cluster (see postgres-global-setup.ts). */
export interface TestDatabase {
  /** `postgres://credmate@127.0.0.1:PORT/<name>`; the user is the cluster's superuser. */
  url: string;
  name: string;
  /** Drops the database, ending any connection still open to it. */
  drop(): Promise<void>;
}

/** The run's cluster URL on its maintenance database `postgres`. */
export function postgresServerUrl(): string {
  const url = inject('postgresUrl');
  if (!url) {
    throw new Error(
      'No PostgreSQL test cluster: vitest.config.ts must list test/support/postgres-global-setup.ts in globalSetup.',
    );
  }
  return url;
}

async function onMaintenanceDb<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: postgresServerUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates a database with a random name so test files (which run in parallel forks) never share
 * state. Call it in beforeAll (or a test) and `drop()` it in afterAll; the cluster and whatever
 * was not dropped vanish with the run anyway.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `credmate_test_${randomBytes(6).toString('hex')}`;
  await onMaintenanceDb((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(postgresServerUrl());
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      if (dropped) return;
      dropped = true;
      await onMaintenanceDb((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

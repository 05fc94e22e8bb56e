import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../support/postgres';
import { findPostgresBin } from '../../support/postgres-cluster';

describe('the throwaway PostgreSQL cluster', () => {
  let a: TestDatabase;
  let b: TestDatabase;
  beforeAll(async () => {
    [a, b] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  });
  afterAll(async () => {
    await Promise.all([a.drop(), b.drop()]);
  });

  it('gives each caller its own empty database, and drop removes it even with a connection open', async () => {
    expect(a.name).not.toBe(b.name);
    const client = new pg.Client({ connectionString: a.url });
    await client.connect();
    await client.query('CREATE TABLE t (x int)');
    const other = new pg.Client({ connectionString: b.url });
    await other.connect();
    const tables = await other.query("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'");
    expect(tables.rows[0]).toEqual({ n: 0 });
    await other.end();
    client.on('error', () => undefined); // the forced drop terminates this connection
    await a.drop();
    const admin = new pg.Client({ connectionString: b.url });
    await admin.connect();
    const left = await admin.query('SELECT count(*)::int AS n FROM pg_database WHERE datname = $1', [a.name]);
    expect(left.rows[0]).toEqual({ n: 0 });
    await admin.end();
    await client.end().catch(() => undefined);
  });

  it('fails with the package to install when PostgreSQL is missing, rather than skipping', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'credmate-no-pg-'));
    try {
      expect(() => findPostgresBin(empty)).toThrow(/apt-get update && apt-get install -y postgresql/);
      fs.mkdirSync(path.join(empty, '15', 'bin'), { recursive: true });
      fs.writeFileSync(path.join(empty, '15', 'bin', 'initdb'), '');
      expect(findPostgresBin(empty)).toBe(path.join(empty, '15', 'bin'));
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});

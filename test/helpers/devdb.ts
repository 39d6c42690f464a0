/**
 * A real PostgreSQL with pgvector for tests: devdb (PGlite over the wire
 * protocol, the same `pg` client and SQL as production). Start it once per
 * test file (WebAssembly start-up is seconds) and give each test a clean
 * store with {@link resetPgStore}.
 *
 * In-process ({@link startTestDevDb}) for store tests; as a child process
 * ({@link spawnDevDb}, `npm run -s devdb`) where several processes share it.
 */
import pg from 'pg';
import { spawnDevDb, startDevDb, type DevDb, type SpawnedDevDb } from '../../src/store/devdb.ts';

export { spawnDevDb, type DevDb, type SpawnedDevDb };

export function startTestDevDb(): Promise<DevDb> {
  return startDevDb();
}

/** Drops every dafu table, so the next ingest starts from an empty database. */
export async function resetPgStore(url: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE tablename LIKE 'dafu\\_%'");
    for (const { tablename } of r.rows) await c.query(`DROP TABLE IF EXISTS ${tablename}`);
  } finally {
    await c.end();
  }
}

/** One query on its own connection (for assertions on the tables). */
export async function pgQuery<R extends pg.QueryResultRow>(url: string, sql: string, values: unknown[] = []): Promise<R[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<R>(sql, values)).rows;
  } finally {
    await c.end();
  }
}


/**
 * A real PostgreSQL with pgvector for tests: devdb (PGlite over the wire
 * protocol, the same `pg` client and SQL as production). Start it once per
 * test file (WebAssembly start-up is seconds) and give each test a clean
 * store with {@link resetPgStore}.
 *
 * In-process ({@link startTestDevDb}) for store tests; as a child process
 * ({@link spawnDevDb}, `npm run -s devdb`) where several processes share it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { startDevDb, type DevDb } from '../../src/store/devdb.ts';

export { type DevDb };

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

export interface SpawnedDevDb {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** `npm run -s devdb` as a child process; resolves with the URL from its first line of stdout. */
export async function spawnDevDb(): Promise<SpawnedDevDb> {
  const root = join(import.meta.dirname, '..', '..');
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src', 'cli.ts'), 'devdb'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DEVDB_PORT: '' } });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => resolve(line.trim()));
    child.once('exit', (code) => reject(new Error(`devdb exited with ${code} before printing its URL: ${stderr}`)));
  });
  return {
    url,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

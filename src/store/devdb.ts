/**
 * A throwaway PostgreSQL with pgvector for development and tests: PGlite
 * (PostgreSQL in WebAssembly) with its pgvector extension, served over the
 * Postgres wire protocol on 127.0.0.1 by pglite-socket, so dafu reaches it
 * with the same `pg` client and SQL as a real server.
 *
 * PGlite is one database session. pglite-socket multiplexes several TCP
 * connections onto it, one protocol message at a time, and while a
 * transaction is open it serves only the connection that opened it (the
 * others wait, they are not refused). So several processes can share one
 * devdb, with two consequences dafu's Postgres code respects (see
 * `postgres.ts`): session state (SET, advisory locks) is shared by every
 * connection, and a parameterized query (Parse/Bind/Execute, several
 * messages) must run inside an explicit transaction so another connection's
 * messages cannot slip between its parts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface DevDb {
  /** postgres://… URL to put in STORE_URL. */
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

export interface DevDbOptions {
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Folder to keep the database in; default in memory (gone when stopped). */
  dataDir?: string;
  /** Connections served at once (default 64; pglite-socket's own default, 1, refuses a second client). */
  maxConnections?: number;
}

/** Starts PGlite + pgvector and serves it on 127.0.0.1. Takes ~5–15 s (WebAssembly start-up). */
export async function startDevDb(opts: DevDbOptions = {}): Promise<DevDb> {
  const db = await PGlite.create({ ...(opts.dataDir ? { dataDir: opts.dataDir } : {}), extensions: { vector } });
  await db.exec('CREATE EXTENSION IF NOT EXISTS vector');
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: opts.port ?? 0, maxConnections: opts.maxConnections ?? 64 });
  await server.start();
  const port = Number(server.getServerConn().split(':').pop());
  let stopped = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      await db.close();
    },
  };
}

export interface SpawnedDevDb {
  url: string;
  child: ChildProcess;
  /** SIGTERM, resolved when the process has exited. */
  stop(): Promise<void>;
}

/**
 * `npm run -s devdb` as a child process (its own event loop and memory, so it
 * does not distort a benchmark or a test of several processes); resolves
 * with the URL from its first line of stdout.
 */
export async function spawnDevDb(): Promise<SpawnedDevDb> {
  const root = join(import.meta.dirname, '..', '..');
  const env = { ...process.env };
  delete env['DEVDB_PORT'];
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src', 'cli.ts'), 'devdb'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => resolve(line.trim()));
    child.once('exit', (code) => reject(new Error(`devdb exited with ${code} before printing its URL: ${stderr.trim().slice(-500)}`)));
  });
  return {
    url,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

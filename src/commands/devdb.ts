/**
 * `npm run -s devdb`: a throwaway PostgreSQL with pgvector on 127.0.0.1
 * (PGlite over the wire protocol, see src/store/devdb.ts) for trying the
 * shared store on one machine and for tests. Prints its STORE_URL as the
 * first line of stdout and runs until SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import type { Command } from './command.ts';

const usage = `Usage: npm run -s devdb -- [--port N] [--data DIR]

Starts a throwaway PostgreSQL with pgvector on 127.0.0.1 (PGlite, PostgreSQL in
WebAssembly, served over the Postgres wire protocol), prints its URL as the
first line of output, and runs until Ctrl-C or SIGTERM. Use the URL as STORE_URL:

  STORE_URL=$(npm run -s devdb | head -1)    # or copy it from the first line

Several processes (bot instances, an ingest) can share it: connections are
served one query at a time. For development and tests only: a production
store is PostgreSQL >= 15 with pgvector >= 0.7 (README, "Several instances").

Options:
  --port N     port to listen on (default: DEVDB_PORT, else a free one)
  --data DIR   keep the database in DIR (default: in memory, gone when stopped)`;

export const command: Command = {
  summary: 'start a throwaway PostgreSQL + pgvector on 127.0.0.1 (prints its STORE_URL)',
  usage,
  async run(argv) {
    let values: { port?: string; data?: string };
    try {
      ({ values } = parseArgs({ args: argv, options: { port: { type: 'string' }, data: { type: 'string' } }, allowPositionals: false }));
    } catch (err) {
      console.error(`dafu devdb: ${(err as Error).message}\n\n${usage}`);
      return 2;
    }
    const portText = values.port ?? process.env['DEVDB_PORT'] ?? '0';
    const port = Number(portText);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      console.error(`dafu devdb: the port must be a number from 0 to 65535, not "${portText}" (--port or DEVDB_PORT)`);
      return 2;
    }
    const { startDevDb } = await import('../store/devdb.ts');
    let db;
    try {
      db = await startDevDb({ port, ...(values.data ? { dataDir: values.data } : {}) });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      console.error(`dafu devdb: could not start: ${code === 'EADDRINUSE' ? `port ${port} is in use (pick another with --port or DEVDB_PORT)` : (err as Error).message}`);
      return 1;
    }
    process.stdout.write(`${db.url}\n`);
    console.error(`dafu devdb: PostgreSQL (PGlite) with pgvector on 127.0.0.1:${db.port}${values.data ? `, data in ${values.data}` : ', in memory'}; Ctrl-C to stop.`);
    const running = db;
    // Keeps the event loop alive even if the server's socket were unref'd.
    const keepAlive = setInterval(() => undefined, 1 << 30);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
    clearInterval(keepAlive);
    await running.stop();
    return 0;
  },
};

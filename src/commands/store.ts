/**
 * `npm run -s store -- migrate --to postgres://…`: moves the file store into
 * a Postgres store, keeping every vector (no re-embedding).
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import type { Command } from './command.ts';

const usage = `Usage: npm run -s store -- migrate --to postgres://USER:PASSWORD@HOST:PORT/DB [--from DIR]

Copies the file store (STORE_DIR, or --from DIR) into the Postgres store at
--to (default: STORE_URL), with the vectors read from the HNSW index, so
nothing is embedded again. The target's previous content, if any, is replaced
in one transaction; its readers see the old content until then. Then set
STORE_URL to the same URL.

Options:
  --to URL     the Postgres store (PostgreSQL >= 15 with pgvector >= 0.7)
  --from DIR   the file store (default: STORE_DIR, else store/)
  --json       print a JSON summary`;

export const command: Command = {
  summary: 'store maintenance: migrate the file store into Postgres (no re-embedding)',
  usage,
  async run(argv) {
    let values: { to?: string; from?: string; json?: boolean };
    let positionals: string[];
    try {
      ({ values, positionals } = parseArgs({ args: argv, options: { to: { type: 'string' }, from: { type: 'string' }, json: { type: 'boolean' } }, allowPositionals: true }));
    } catch (err) {
      console.error(`dafu store: ${(err as Error).message}\n\n${usage}`);
      return 2;
    }
    if (positionals[0] !== 'migrate' || positionals.length !== 1) {
      console.error(`dafu store: expected "migrate"${positionals[0] ? `, not "${positionals.join(' ')}"` : ''}\n\n${usage}`);
      return 2;
    }
    const config = loadConfig();
    const url = values.to ?? config.STORE_URL;
    if (!url || !/^postgres(ql)?:\/\//.test(url)) {
      console.error(`dafu store migrate: --to must be a postgres:// URL (or set STORE_URL)\n\n${usage}`);
      return 2;
    }
    const from = values.from ?? config.STORE_DIR;
    const { migrateToPostgres } = await import('../../ingest/store/migrate.ts');
    const { redactUrl } = await import('../store/pg-schema.ts');
    const summary = await migrateToPostgres(from, url, (done, total) => {
      if (process.stderr.isTTY) process.stderr.write(`\rmigrating ${done}/${total} replies`);
    });
    if (process.stderr.isTTY) process.stderr.write('\n');
    if (values.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
    else console.log(`Migrated ${summary.documents} replies (${summary.chunks} chunks, model ${summary.model}, ${summary.dimensions} dimensions) from ${from} to ${redactUrl(url)} as generation ${summary.generation}, in ${summary.seconds} s. Set STORE_URL to that URL.`);
    return 0;
  },
};

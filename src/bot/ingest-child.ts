/**
 * /reload's ingest, run in a child process (`src/cli.ts ingest --json`) with
 * a V8 heap limit, so that a hostile or huge file can at worst kill the
 * child: the bot keeps serving from the store it has open, and the store on
 * disk stays as it was (ingest swaps versions atomically and a killed run
 * leaves the previous one intact). Running it in the bot's own process let
 * a ZIP bomb take the whole bot down.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { storeUrlPassword, type Config } from '../config.ts';
import { redact } from '../log.ts';
import type { IngestSummary } from '../../ingest/run.ts';

const CLI = fileURLToPath(new URL('../cli.ts', import.meta.url));

/** Settings the child must not see: ingest needs none of them, and a child's crash output should not be able to carry them. */
const SECRET_KEYS = ['TELEGRAM_BOT_TOKEN', 'WEBHOOK_SECRET', 'LLM_API_KEY', 'REDIS_URL'] as const;

/** Why a child ingest failed; `message` says what happened and what to do, `detail` is the child's last words (redacted). */
export class IngestChildError extends Error {
  override name = 'DafuIngestChildError';
  constructor(
    message: string,
    readonly detail: string,
  ) {
    super(message);
  }
}

/**
 * The child's environment: the parent's (PATH, HOME, proxies, TMPDIR …)
 * without secrets, with every setting of `config` written out, so the child
 * ingests exactly what the bot would (a value from `--corpus`, or from a
 * config built in code, is not lost, and a `.env` the child might read
 * cannot override it).
 */
function childEnv(config: Config): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [key, value] of Object.entries(config)) {
    // Unset becomes empty (= the default), again so that a .env cannot fill it in.
    if (value === undefined) env[key] = '';
    else env[key] = Array.isArray(value) ? value.join(',') : typeof value === 'boolean' ? (value ? '1' : '0') : String(value);
  }
  // Set to empty rather than deleted: dotenv in the child must not fill them back in from .env.
  for (const key of SECRET_KEYS) env[key] = '';
  return env;
}

export interface ChildIngestOptions {
  /** V8 heap limit of the child in MB (INGEST_MEMORY_MB). */
  memoryMb: number;
  /** Strings to redact from anything the child printed. */
  secrets?: readonly string[];
  /** Called with each line the child writes on stderr (its notices), already redacted. */
  onLine?: (line: string) => void;
}

/**
 * Runs `ingest --json` for `config`'s corpus and store in a child process and
 * resolves with its summary. Rejects with {@link IngestChildError} when the
 * child crashed (out of memory, killed) or ingested nothing.
 */
export function ingestInChild(config: Config, options: ChildIngestOptions): Promise<IngestSummary> {
  // STORE_URL stays in the child's environment (it needs it), but its password is redacted from what the child prints.
  const secrets = [...(options.secrets ?? []), ...[...SECRET_KEYS.map((k) => config[k]), storeUrlPassword(config)].filter((s): s is string => !!s)];
  const args = [
    `--max-old-space-size=${options.memoryMb}`,
    // By URL, not by name: the bot's working folder need not be the project's.
    '--import', import.meta.resolve('tsx'),
    CLI, 'ingest', '--json', '--corpus', config.CORPUS_DIR,
    // A Postgres store goes by STORE_URL in the child's environment, never in argv (ps would show its password).
    ...(config.STORE_URL ? [] : ['--store', config.STORE_DIR]),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env: childEnv(config), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderrTail = '';
    let partial = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      // Keep only the end: an out-of-memory crash prints a long native stack.
      stderrTail = (stderrTail + d).slice(-4000);
      const lines = (partial + d).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) options.onLine?.(redact(line, secrets));
    });
    child.on('error', (err) => reject(new IngestChildError(`could not start the ingest process (${err.message})`, '')));
    child.on('close', (code, signal) => {
      const detail = redact(stderrTail.trim(), secrets);
      const summary = parseSummary(stdout);
      if (code === 0 && summary) return resolve(summary);
      if (summary && summary.documents === 0) {
        return reject(new IngestChildError(`nothing could be ingested from ${config.CORPUS_DIR} (${summary.skipped.length} file(s) skipped); the store was not changed`, detail));
      }
      const oom = /heap out of memory|Allocation failed|ERR_WORKER_OUT_OF_MEMORY/i.test(stderrTail);
      if (oom) {
        return reject(new IngestChildError(`the ingest ran out of memory (INGEST_MEMORY_MB=${options.memoryMb}) and was stopped; the store was not changed. A file in ${config.CORPUS_DIR} is probably huge or hostile: run \`npm run ingest\` to see which, or raise INGEST_MEMORY_MB`, detail));
      }
      const how = signal ? `was killed (${signal})` : `exited with status ${code}`;
      const last = detail.split('\n').filter(Boolean).at(-1) ?? '';
      reject(new IngestChildError(`the ingest process ${how}; the store was not changed${last ? `: ${last}` : ''}`, detail));
    });
  });
}

/** The last stdout line that parses as an ingest summary, or null. */
function parseSummary(stdout: string): IngestSummary | null {
  for (const line of stdout.trim().split('\n').reverse()) {
    try {
      const value: unknown = JSON.parse(line);
      if (value && typeof value === 'object' && 'documents' in value && 'skipped' in value) return value as IngestSummary;
    } catch {
      // Not JSON: not the summary line.
    }
  }
  return null;
}

/**
 * `npm run bench -- <ingest|query|bot> [options]`: performance measurements.
 * Each sub-benchmark lives in `src/bench/<name>.ts`; this file only dispatches.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { DafuInputError } from '../errors.ts';
import { BENCH_MODELS, type BenchModel } from '../bench/measure.ts';
import type { Command } from './command.ts';

const usage = `Usage: npm run -s bench -- <ingest|query|bot|hnsw> [options]

  bot      50 chats asking at once through the real bot against a local Bot API
           server on 127.0.0.1: answers per second and p50/p95 latency.
           --chats N (50)  --rounds N (3)  --questions FILE (JSON Lines with "question")
           --model tiny|bench|real  tiny: the tiny offline test model, bench: the
                           benchmark model (bge-small-zh-v1.5's architecture,
                           random weights), each on a temp store built from
                           CORPUS_DIR (no download; measures the bot, not
                           retrieval quality); real (default): STORE_DIR with
                           EMBEDDING_MODEL
           --tiny          same as --model tiny
           --docs N        with tiny|bench: a synthetic corpus of N replies
                           instead of CORPUS_DIR
           --json          one JSON object on stdout
  ingest   ingest throughput on a synthetic corpus made from the sample replies
           (CORPUS_DIR), ours against the naive LangChain way (character splitter
           + HNSWLib.fromDocuments) with the same model: documents/s, chunks/s,
           share of time inside the model, store size, peak RSS.
           --docs N (2000)      synthetic documents  --seed N (1)
           --model tiny|bench|real  tiny offline test model (default), the benchmark
                                model (bge-small-zh-v1.5's architecture, random
                                weights, generated) or EMBEDDING_MODEL
           --skip-baseline      only our ingest
           --json               one JSON object on stdout
  query    latency of ask over the evaluation questions: p50/p95/max per stage
           (lookup, embedding, dense search, lexical, fusion, composing), cold
           (first question after opening, with model load) and warm, and RSS.
           --questions FILE (test/fixtures/questions.jsonl)  --repeat N (5)
                           src/bench/questions-scale.jsonl: department-wide
                           questions (「省科技厅承诺了什么」, 「X做了哪些工作」, year
                           and kind filters, a body with a fifth of the replies)
           --store DIR          an existing store (with EMBEDDING_MODEL); default a
                                temp store built from CORPUS_DIR
           --model tiny|bench|real  model for the temp store (default tiny)
           --docs N             build the temp store from N synthetic replies
                                (as bench ingest) instead of CORPUS_DIR
           --store-url URL|devdb  also measure the Postgres store in the same run,
                                beside the file store (with ratios): an existing
                                store at URL, or devdb: a throwaway devdb filled
                                from the file store (default: STORE_URL if set)
           --json               one JSON object on stdout
  hnsw     recall@10 of the HNSW index against exact search, per ef, with
           latency: synthetic clustered unit vectors (bench model width).
           --vectors N (100000)  --dims N (512)  --queries N (200)
           --ef LIST (10,32,64,128,256)  --ef-construction N (200)
           --noise X (0.7)      per-vector noise; higher is harder
           --json               one JSON object on stdout`;

async function bot(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { chats: { type: 'string' }, rounds: { type: 'string' }, questions: { type: 'string' }, tiny: { type: 'boolean' }, model: { type: 'string' }, docs: { type: 'string' }, json: { type: 'boolean' } },
    strict: true,
  });
  const { benchBot } = await import('../bench/bot.ts');
  const result = await benchBot(loadConfig(), {
    chats: values.chats ? Number(values.chats) : undefined,
    rounds: values.rounds ? Number(values.rounds) : undefined,
    questionsFile: values.questions,
    model: values.tiny ? 'tiny' : values.model === undefined ? 'real' : modelOption(values.model),
    docs: countOption('docs', values.docs),
    onProgress: (m) => console.error(`bench bot: ${m}`),
  });
  if (values.json) console.log(JSON.stringify(result));
  else
    console.log(
      `bot: ${result.answers} answers from ${result.chats} chats at once × ${result.rounds} rounds (${result.model})\n` +
        `  ${result.answersPerSecond} answers/s; latency p50 ${result.latencyMs.p50} ms, p95 ${result.latencyMs.p95} ms, max ${result.latencyMs.max} ms`,
    );
  return 0;
}

function modelOption(value: string | undefined): BenchModel {
  if (value === undefined) return 'tiny';
  if ((BENCH_MODELS as readonly string[]).includes(value)) return value as BenchModel;
  throw new DafuInputError(`--model must be "tiny", "bench" or "real", not "${value}"`);
}

function countOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new DafuInputError(`--${name} must be a positive whole number, not "${value}"`);
  return n;
}

/** parseArgs, with its errors (unknown option, missing value) as a plain message plus usage. */
function parseOptions<T extends NonNullable<Parameters<typeof parseArgs>[0]>['options']>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false });
  } catch (err) {
    throw new DafuInputError(`dafu bench: ${(err as Error).message}\n\n${usage}`);
  }
}

async function ingest(argv: string[]): Promise<number> {
  const { values } = parseOptions(argv, { docs: { type: 'string' }, seed: { type: 'string' }, model: { type: 'string' }, 'skip-baseline': { type: 'boolean' }, json: { type: 'boolean' } });
  const { benchIngest, formatIngestReport } = await import('../bench/ingest.ts');
  const report = await benchIngest({
    docs: countOption('docs', values.docs),
    seed: values.seed === undefined ? undefined : Number(values.seed),
    model: modelOption(values.model),
    skipBaseline: values['skip-baseline'],
    onProgress: (m) => console.error(`bench ingest: ${m}`),
  });
  console.log(values.json ? JSON.stringify(report) : formatIngestReport(report));
  return 0;
}

async function query(argv: string[]): Promise<number> {
  const { values } = parseOptions(argv, { questions: { type: 'string' }, repeat: { type: 'string' }, store: { type: 'string' }, 'store-url': { type: 'string' }, model: { type: 'string' }, docs: { type: 'string' }, json: { type: 'boolean' } });
  const { benchQuery, formatQueryReport } = await import('../bench/query.ts');
  const report = await benchQuery({
    questionsFile: values.questions,
    repeat: countOption('repeat', values.repeat),
    storeDir: values.store,
    storeUrl: values['store-url'],
    model: modelOption(values.model),
    docs: countOption('docs', values.docs),
    onProgress: (m) => console.error(`bench query: ${m}`),
  });
  console.log(values.json ? JSON.stringify(report) : formatQueryReport(report));
  return 0;
}

async function hnsw(argv: string[]): Promise<number> {
  const { values } = parseOptions(argv, { vectors: { type: 'string' }, dims: { type: 'string' }, queries: { type: 'string' }, ef: { type: 'string' }, 'ef-construction': { type: 'string' }, noise: { type: 'string' }, json: { type: 'boolean' } });
  const { benchHnsw, formatHnswReport } = await import('../bench/hnsw.ts');
  const report = await benchHnsw({
    vectors: countOption('vectors', values.vectors),
    dims: countOption('dims', values.dims),
    queries: countOption('queries', values.queries),
    efs: values.ef?.split(',').map((x, i) => countOption(`ef (item ${i + 1})`, x.trim()) as number),
    efConstruction: countOption('ef-construction', values['ef-construction']),
    noise: values.noise === undefined ? undefined : Number(values.noise),
    onProgress: (m) => console.error(`bench hnsw: ${m}`),
  });
  console.log(values.json ? JSON.stringify(report) : formatHnswReport(report));
  return 0;
}

const benches: Record<string, (argv: string[]) => Promise<number>> = {
  bot,
  hnsw,
  // Filled in by their owners (issue 3: ingest, issue 4: query).
  ingest,
  query,
};

export const command: Command = {
  summary: 'performance benchmarks: bench <ingest|query|bot|hnsw>',
  usage,
  async run(argv) {
    const [name, ...rest] = argv;
    const bench = name ? benches[name] : undefined;
    if (!bench) {
      console.error(`dafu bench: ${name ? `unknown benchmark "${name}"` : 'which benchmark?'}\n\n${usage}`);
      return 2;
    }
    return bench(rest);
  },
};

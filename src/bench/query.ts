/**
 * `npm run bench -- query`: latency of `ask` over the evaluation questions,
 * stage by stage, cold and warm, and memory.
 *
 * Stages come from `Answer.timings` (lookup, dense, lexical, fusion, compose,
 * total) except the split of `dense` into the query embedding (the model's
 * own time, read from `LocalEmbeddings.modelMs` around each ask) and the HNSW
 * search plus its bookkeeping (the rest of `dense`).
 *
 * The temp store is built by `npm run ingest` in a child process, so the
 * memory figures of this process are those of a freshly started `ask`, not
 * of an ingest's leftovers.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createEngine, type Answer } from '../answer/index.ts';
import type { Config } from '../config.ts';
import { createEmbeddings, type LocalEmbeddings } from '../embeddings/index.ts';
import { DafuInputError } from '../errors.ts';
import { loadQuestions } from '../eval/questions.ts';
import { openStore, type OpenedStore } from '../store/open.ts';
import { writeSyntheticCorpus } from './synthetic-corpus.ts';
import { benchConfig, type BenchModel, collectGarbage, latencySummary, maxRssBytes, mb, round, RssSampler } from './measure.ts';

/** Where the dev questions are copied in this repository; the default questions file when it exists. */
export const DEFAULT_QUESTIONS_FILE = 'test/fixtures/questions.jsonl';
/** Default number of warm passes over the question set. */
export const DEFAULT_REPEAT = 5;

const ROOT = resolve(import.meta.dirname, '..', '..');

export interface QueryBenchOptions {
  /** JSON Lines questions (eval format); default {@link DEFAULT_QUESTIONS_FILE} when it exists. */
  questionsFile?: string;
  /** Warm passes over the set; default {@link DEFAULT_REPEAT}. */
  repeat?: number;
  /** An existing store, opened with the configured EMBEDDING_MODEL; default: a temp store built from CORPUS_DIR. */
  storeDir?: string;
  /** Model for the temp store: `tiny` (default, offline test model), `bench` (generated benchmark model) or `real` (EMBEDDING_MODEL). */
  model?: BenchModel;
  /** Build the temp store from this many synthetic replies (as `bench ingest`) instead of CORPUS_DIR. */
  docs?: number;
  /**
   * Also measure the Postgres store, in the same run, beside the file store:
   * a postgres:// URL (an existing store, read only, opened with the same
   * model), or `devdb` for a throwaway devdb (child process) filled from the
   * file store by `store migrate` (the same vectors). Default: STORE_URL when set.
   */
  storeUrl?: string;
  /** Settings source; default `process.env`. */
  env?: Record<string, string | undefined>;
  onProgress?: (message: string) => void;
}

/**
 * Stage names in report order. `embedding` and `denseSearch` split the
 * engine's `dense`; `nonModel` is the whole ask minus the model's own pass
 * (`total − embedding`): what dafu itself costs per question.
 */
export const STAGES = ['lookup', 'embedding', 'denseSearch', 'lexical', 'fusion', 'compose', 'total', 'nonModel'] as const;
export type Stage = (typeof STAGES)[number];

export type Latency = { p50: number; p95: number; max: number };

/** The figures of one store. */
export interface StoreMeasure {
  store: { dir: string; temporary: boolean; documents: number; chunks: number };
  /**
   * Right after opening the store: the first question, plus the next ones
   * until one reaches the dense retriever (that is where the model loads; a
   * question naming a number no reply has stops before it). Usually one ask.
   * Includes loading the model, jieba's dictionary and cold code paths.
   */
  cold: {
    /** Reading the store (HNSW, BM25, records) and building the engine; the model is not loaded yet. */
    openMs: number;
    /** From opening until the engine's background warm-up ({@link Engine.ready}) finished; questions are answered meanwhile. */
    readyMs: number;
    /** How long the benchmark waited for it after the cold asks (0 when it was done by then). */
    readyWaitMs: number;
    /** Asks in the cold phase (1 unless the first questions never reach the dense retriever). */
    asks: number;
    /** Wall time of the cold asks together. */
    askMs: number;
    /** Their stages in ms, summed (`denseSearch` includes loading the model). */
    stages: Partial<Record<Stage, number>>;
  };
  /** Every ask of `repeat` passes over the set, after the cold phase. */
  warm: { asks: number; stages: Partial<Record<Stage, Latency>> };
  /** The three questions with the highest median warm total, with their median stages: where to look first. */
  slowest: Array<{ question: string; stages: Partial<Record<Stage, number>> }>;
  /** Answers found (not abstained) in one pass; a sanity check that the engine really answered. */
  foundPerPass: number;
  /**
   * `storeHeapMB`: JS heap + buffers held after the first ask, minus before opening, both after a
   * full GC: what the store's records and indexes cost (the model's native memory is not in it).
   * Unlike RSS it is comparable between two stores measured one after the other in one process.
   */
  memory: { rssAfterOpenMB: number; rssAfterFirstAskMB: number; storeHeapMB: number; peakRssMB: number; processPeakRssMB: number };
}

export interface QueryBenchReport extends StoreMeasure {
  model: string;
  questions: number;
  repeat: number;
  machine: { cpus: number; loadavg1m: number };
  /** The Postgres store measured in the same run (after the file store), with warm p50 ratios Postgres ÷ file. */
  postgres?: StoreMeasure & { ratioP50: Partial<Record<Stage, number>> };
}

/** Runs `npm run ingest` for `corpusDir` → `storeDir` in a child process with `config`'s model. */
async function ingestInChild(config: Config, corpusDir: string, storeDir: string, env: Record<string, string | undefined>): Promise<void> {
  const childEnv: Record<string, string | undefined> = { ...env, EMBEDDING_MODEL: config.EMBEDDING_MODEL, EMBEDDING_OFFLINE: config.EMBEDDING_OFFLINE ? '1' : '', EMBEDDING_THREADS: String(config.EMBEDDING_THREADS) };
  await new Promise<void>((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli.ts'), 'ingest', '--corpus', corpusDir, '--store', storeDir, '--json'], {
      cwd: ROOT,
      env: childEnv,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => {
      stderr += b.toString('utf8');
    });
    child.on('error', fail);
    child.on('close', (code) => (code === 0 ? done() : fail(new Error(`building the temp store failed (npm run ingest exited with ${code}): ${stderr.trim().slice(-500)}`))));
  });
}

/** The stages of one answer in ms; `embeddingMs` is the model time measured around the ask. */
function stagesOf(a: Answer, embeddingMs: number): Partial<Record<Stage, number>> {
  const t = a.timings;
  const out: Partial<Record<Stage, number>> = {};
  if (t['lookup'] !== undefined) out.lookup = t['lookup'];
  if (t['dense'] !== undefined) {
    out.embedding = embeddingMs;
    out.denseSearch = Math.max(0, t['dense'] - embeddingMs);
  }
  for (const k of ['lexical', 'fusion', 'compose', 'total'] as const) if (t[k] !== undefined) out[k] = t[k];
  if (t['total'] !== undefined) out.nonModel = Math.max(0, t['total'] - embeddingMs);
  return out;
}

const rounded = (s: Partial<Record<Stage, number>>): Partial<Record<Stage, number>> => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, round(v, 2)]));

/**
 * Opens one store with a fresh model (so each store has its own cold phase)
 * and measures it: cold open and first ask, warm passes, memory.
 */
async function measureStore(
  config: Config,
  questions: string[],
  repeat: number,
  say: (m: string) => void,
  open: (embeddings: LocalEmbeddings) => Promise<OpenedStore>,
  where: { dir: string; temporary: boolean },
): Promise<{ model: string; measure: StoreMeasure }> {
  const embeddings = createEmbeddings(config);
  let store: OpenedStore | undefined;
  try {
    collectGarbage();
    const sampler = new RssSampler();
    const heldBytes = () => {
      const m = process.memoryUsage();
      return m.heapUsed + m.external;
    };
    const before = heldBytes();
    let t = performance.now();
    store = await open(embeddings);
    // Extractive mode: an LLM's latency is the endpoint's, not ours.
    const engine = createEngine(store, config, { llm: null });
    const opened = store;
    const openMs = performance.now() - t;
    let readyAt = 0;
    const ready = engine.ready().then(() => void (readyAt = performance.now()));
    const rssAfterOpen = sampler.sample();

    const askOnce = async (question: string): Promise<{ answer: Answer; stages: Partial<Record<Stage, number>>; ms: number }> => {
      const m0 = embeddings.modelMs;
      const t0 = performance.now();
      const answer = await engine.ask(question, { conversation: { turns: [] } });
      const ms = performance.now() - t0;
      return { answer, stages: stagesOf(answer, embeddings.modelMs - m0), ms };
    };

    say('cold: first question (loads the model)');
    const cold: Partial<Record<Stage, number>> = {};
    let coldAsks = 0;
    let coldMs = 0;
    for (const q of questions) {
      const { stages, ms } = await askOnce(q);
      coldAsks++;
      coldMs += ms;
      for (const [k, v] of Object.entries(stages) as Array<[Stage, number]>) cold[k] = (cold[k] ?? 0) + v;
      if (stages.denseSearch !== undefined) break;
    }
    // Warm means the steady state: after the work the engine does in the background once the store is open.
    const waitStart = performance.now();
    await ready;
    const readyWaitMs = Math.max(0, readyAt - waitStart);
    const readyMs = readyAt - t;
    const rssAfterFirstAsk = sampler.sample();
    collectGarbage();
    const storeHeap = heldBytes() - before;

    say(`warm: ${repeat} passes over ${questions.length} questions`);
    const samples = new Map<Stage, number[]>(STAGES.map((s) => [s, []]));
    const perQuestion = questions.map(() => new Map<Stage, number[]>());
    let asks = 0;
    let foundPerPass = 0;
    for (let pass = 0; pass < repeat; pass++) {
      for (const [i, q] of questions.entries()) {
        const { answer, stages } = await askOnce(q);
        for (const [k, v] of Object.entries(stages) as Array<[Stage, number]>) {
          samples.get(k)!.push(v);
          const own = perQuestion[i]!;
          own.set(k, [...(own.get(k) ?? []), v]);
        }
        asks++;
        if (pass === 0 && answer.found) foundPerPass++;
      }
      say(`  pass ${pass + 1}/${repeat} done`);
    }
    const warm: Partial<Record<Stage, Latency>> = {};
    for (const [k, v] of samples) if (v.length > 0) warm[k] = latencySummary(v);
    const medians = perQuestion.map((m, i) => ({
      question: questions[i]!,
      stages: Object.fromEntries([...m].map(([k, v]) => [k, latencySummary(v).p50])) as Partial<Record<Stage, number>>,
    }));
    const slowest = medians.sort((a, b) => (b.stages.total ?? 0) - (a.stages.total ?? 0)).slice(0, 3);

    return {
      model: opened.manifest.model,
      measure: {
        store: { ...where, documents: opened.manifest.counts.documents, chunks: opened.manifest.counts.chunks },
        cold: { openMs: round(openMs, 2), readyMs: round(readyMs, 2), readyWaitMs: round(readyWaitMs, 2), asks: coldAsks, askMs: round(coldMs, 2), stages: rounded(cold) },
        warm: { asks, stages: warm },
        slowest,
        foundPerPass,
        memory: { rssAfterOpenMB: mb(rssAfterOpen), rssAfterFirstAskMB: mb(rssAfterFirstAsk), storeHeapMB: mb(storeHeap), peakRssMB: mb(sampler.stop()), processPeakRssMB: mb(maxRssBytes()) },
      },
    };
  } finally {
    await store?.close();
    await embeddings.dispose();
  }
}

/** Runs the query benchmark and returns the figures; a temp store is removed at the end. */
export async function benchQuery(options: QueryBenchOptions = {}): Promise<QueryBenchReport> {
  const env = options.env ?? process.env;
  const say = options.onProgress ?? (() => undefined);
  const repeat = options.repeat ?? DEFAULT_REPEAT;
  if (!Number.isInteger(repeat) || repeat < 1) throw new DafuInputError(`--repeat must be a positive whole number, not ${repeat}`);
  const questionsFile = options.questionsFile ?? (existsSync(DEFAULT_QUESTIONS_FILE) ? DEFAULT_QUESTIONS_FILE : undefined);
  if (!questionsFile) throw new DafuInputError(`dafu bench query: no questions: ${DEFAULT_QUESTIONS_FILE} does not exist here; pass --questions FILE (JSON Lines, one {"question": …} per line, as for npm run eval).`);
  const questions = (await loadQuestions(questionsFile)).map((q) => q.question);
  const wanted = options.storeUrl ?? env['STORE_URL'];
  if (wanted && wanted !== 'devdb' && !/^postgres(ql)?:\/\//.test(wanted)) throw new DafuInputError('dafu bench query: --store-url must be a postgres:// URL or "devdb"');

  const tmp = await mkdtemp(join(tmpdir(), 'dafu-bench-query-'));
  try {
    let config: Config;
    let label: string;
    let storeDir: string;
    if (options.storeDir) {
      ({ config, label } = await benchConfig('real', tmp, {}, env));
      storeDir = options.storeDir;
    } else {
      ({ config, label } = await benchConfig(options.model ?? 'tiny', tmp, {}, env));
      storeDir = join(tmp, 'store');
      let corpusDir = config.CORPUS_DIR;
      if (options.docs !== undefined) {
        say(`writing ${options.docs} synthetic replies from ${config.CORPUS_DIR}`);
        corpusDir = (await writeSyntheticCorpus(config.CORPUS_DIR, join(tmp, 'corpus'), options.docs, 1)).dir;
      }
      say(`building a temp store from ${corpusDir} with the ${label} (npm run ingest in a child process)`);
      await ingestInChild(config, corpusDir, storeDir, env);
      if (options.docs !== undefined) await rm(corpusDir, { recursive: true, force: true });
    }

    say(`opening ${storeDir}`);
    const file = await measureStore(config, questions, repeat, say, (e) => openStore(storeDir, { embeddings: e, ef: config.HNSW_EF }), { dir: storeDir, temporary: !options.storeDir });
    let postgres: QueryBenchReport['postgres'];
    const storeUrl = options.storeUrl ?? env['STORE_URL'];
    if (storeUrl) {
      let devdb: { url: string; stop(): Promise<void> } | undefined;
      try {
        let url = storeUrl;
        if (storeUrl === 'devdb') {
          say('starting a throwaway devdb (child process) and migrating the file store into it (same vectors)');
          const { spawnDevDb } = await import('../store/devdb.ts');
          const started = await spawnDevDb();
          devdb = started;
          url = started.url;
          const { migrateToPostgres } = await import('../../ingest/store/migrate.ts');
          await migrateToPostgres(storeDir, url);
        }
        const { openPgStore } = await import('../store/postgres.ts');
        const { redactUrl } = await import('../store/pg-schema.ts');
        say(`opening the Postgres store ${redactUrl(url)}`);
        const pg = await measureStore(config, questions, repeat, say, (e) => openPgStore(url, { embeddings: e, ef: config.HNSW_EF }), { dir: storeUrl === 'devdb' ? `devdb (migrated from ${file.measure.store.dir})` : redactUrl(url), temporary: storeUrl === 'devdb' });
        const ratioP50: Partial<Record<Stage, number>> = {};
        for (const st of STAGES) {
          const a = file.measure.warm.stages[st]?.p50;
          const b = pg.measure.warm.stages[st]?.p50;
          if (a !== undefined && b !== undefined && a > 0) ratioP50[st] = round(b / a, 2);
        }
        postgres = { ...pg.measure, ratioP50 };
      } finally {
        await devdb?.stop();
      }
    }

    return {
      model: options.storeDir ? file.model : label,
      ...file.measure,
      questions: questions.length,
      repeat,
      machine: { cpus: cpus().length, loadavg1m: round(loadavg()[0] ?? 0, 2) },
      ...(postgres ? { postgres } : {}),
    };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

const STAGE_LABELS: Record<Stage, string> = {
  lookup: 'lookup (exact ids, terms)',
  embedding: 'embedding (model)',
  denseSearch: 'dense search (HNSW)',
  lexical: 'lexical (BM25)',
  fusion: 'fusion + rerank',
  compose: 'composing',
  total: 'total ask',
  nonModel: 'all but the model',
};

/** The report as a table for a terminal. */
export function formatQueryReport(r: QueryBenchReport): string {
  const ms = (v: number | undefined) => (v === undefined ? '—' : v.toFixed(2));
  const w = 28;
  const c = 11;
  const lines = [
    `query benchmark: ${r.questions} questions × ${r.repeat} warm passes (${r.warm.asks} asks), model ${r.model}`,
    `store: ${r.store.temporary ? 'temp store built from the corpus' : r.store.dir} (${r.store.documents} replies, ${r.store.chunks} chunks); extractive mode; ${r.foundPerPass}/${r.questions} answered (not abstained)`,
    '',
    `${'stage (ms)'.padEnd(w)}${'cold'.padStart(c)}${'warm p50'.padStart(c)}${'warm p95'.padStart(c)}${'warm max'.padStart(c)}`,
    '-'.repeat(w + 4 * c),
    ...STAGES.map((s) => `${STAGE_LABELS[s].padEnd(w)}${ms(r.cold.stages[s]).padStart(c)}${ms(r.warm.stages[s]?.p50).padStart(c)}${ms(r.warm.stages[s]?.p95).padStart(c)}${ms(r.warm.stages[s]?.max).padStart(c)}`),
    '',
    `cold: opening the store and building the engine ${r.cold.openMs.toFixed(0)} ms; ` +
      (r.cold.asks > 1 ? `first ${r.cold.asks} asks (until one reached the dense search) ${r.cold.askMs.toFixed(0)} ms, stages summed` : `first ask ${r.cold.askMs.toFixed(0)} ms`) +
      `; the cold dense search includes loading the model; background warm-up done ${r.cold.readyMs.toFixed(0)} ms after opening (waited ${r.cold.readyWaitMs.toFixed(0)} ms for it before the warm passes)`,
    `slowest questions, median warm ms: total (lookup, embedding, dense, lexical, fusion, composing; the rest is follow-up resolution and the citation check)`,
    ...r.slowest.map((q) => `  ${ms(q.stages.total)} (${(['lookup', 'embedding', 'denseSearch', 'lexical', 'fusion', 'compose'] as const).map((s) => ms(q.stages[s])).join(', ')})  ${q.question}`),
    `memory: RSS after open ${r.memory.rssAfterOpenMB} MB, after the first ask ${r.memory.rssAfterFirstAskMB} MB (store records and indexes on the JS heap ${r.memory.storeHeapMB} MB), peak ${r.memory.peakRssMB} MB (process peak ${r.memory.processPeakRssMB} MB)`,
    `machine: ${r.machine.cpus} CPUs, load ${r.machine.loadavg1m} at the end (figures are noisy on a shared machine)`,
  ];
  const p = r.postgres;
  if (p) {
    lines.push(
      '',
      `Postgres store, same run, after the file store: ${p.store.dir} (${p.store.documents} replies, ${p.store.chunks} chunks); ${p.foundPerPass}/${r.questions} answered`,
      '',
      `${'stage (ms)'.padEnd(w)}${'cold'.padStart(c)}${'warm p50'.padStart(c)}${'warm p95'.padStart(c)}${'warm max'.padStart(c)}${'p50 ÷ file'.padStart(c)}`,
      '-'.repeat(w + 5 * c),
      ...STAGES.map(
        (s) =>
          `${STAGE_LABELS[s].replace('(HNSW)', '(pgvector)').padEnd(w)}${ms(p.cold.stages[s]).padStart(c)}${ms(p.warm.stages[s]?.p50).padStart(c)}${ms(p.warm.stages[s]?.p95).padStart(c)}${ms(p.warm.stages[s]?.max).padStart(c)}${(p.ratioP50[s] === undefined ? '—' : `${p.ratioP50[s]}×`).padStart(c)}`,
      ),
      '',
      `cold: opening the store (loading records, building BM25 from stored tokens) ${p.cold.openMs.toFixed(0)} ms vs ${r.cold.openMs.toFixed(0)} ms for the file store; first ask ${p.cold.askMs.toFixed(0)} ms`,
      `memory: records and indexes on the JS heap ${p.memory.storeHeapMB} MB vs ${r.memory.storeHeapMB} MB for the file store (whose HNSW index is native memory, not counted; devdb runs in its own process)`,
    );
  }
  return lines.join('\n');
}

/**
 * `npm run bench -- ingest`: ingest throughput on a synthetic corpus made
 * from the sample replies, ours against the naive LangChain way on the same
 * files with the same loaded model.
 *
 * Both runs share one embeddings instance, loaded before either starts, so
 * neither pays the model load; the time inside the model is read from
 * `LocalEmbeddings.modelMs` before and after each run. Ours runs first.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import { RecursiveCharacterTextSplitter } from '@langchain/textsplitters';
import { runIngest } from '../../ingest/run.ts';
import type { Config } from '../config.ts';
import { createEmbeddings, type LocalEmbeddings } from '../embeddings/index.ts';
import { benchConfig, type BenchModel, collectGarbage, folderBytes, maxRssBytes, mb, round, RssSampler } from './measure.ts';
import { writeSyntheticCorpus } from './synthetic-corpus.ts';

/** Default number of synthetic documents. */
export const DEFAULT_BENCH_DOCS = 2000;

export interface IngestBenchOptions {
  /** Synthetic documents to generate; default {@link DEFAULT_BENCH_DOCS}. */
  docs?: number;
  /** `tiny` (default): the offline test model; `bench`: the generated benchmark model; `real`: the configured EMBEDDING_MODEL. */
  model?: BenchModel;
  /** Folder of sample replies the synthetic corpus is made from; default CORPUS_DIR. */
  sampleDir?: string;
  /** PRNG seed of the synthetic corpus; default 1. */
  seed?: number;
  /** Skip the LangChain comparison (it roughly doubles the run time). */
  skipBaseline?: boolean;
  /** Settings source; default `process.env`. */
  env?: Record<string, string | undefined>;
  onProgress?: (message: string) => void;
}

/** Figures of one ingest run. */
export interface IngestRunFigures {
  documents: number;
  chunks: number;
  seconds: number;
  documentsPerSecond: number;
  chunksPerSecond: number;
  /** Seconds inside the model (tokenizer + onnxruntime) and their share of `seconds`. */
  modelSeconds: number;
  modelShare: number;
  /** Everything else: reading, parsing, chunking, index building, writing. */
  otherSeconds: number;
  storeMB: number;
  /** Highest RSS sampled (every 50 ms) during this run. */
  peakRssMB: number;
}

export interface IngestBenchReport {
  model: string;
  dimensions: number;
  corpus: { documents: number; MB: number; seed: number };
  modelLoadSeconds: number;
  /** RSS with the model loaded, before the first run. */
  rssBeforeMB: number;
  /** `embedded`: texts that went through the model (chunks less those sharing an already embedded text). */
  dafu: IngestRunFigures & { commitments: number; skipped: number; embedded: number };
  /** RecursiveCharacterTextSplitter(CHUNK_SIZE, CHUNK_OVERLAP) + HNSWLib.fromDocuments + save; null when skipped. */
  langchain: IngestRunFigures | null;
  /** dafu seconds ÷ LangChain seconds (below 1: we are faster). */
  timeRatio: number | null;
  /** Process-wide peak RSS (`resourceUsage().maxRSS`), covering both runs. */
  processPeakRssMB: number;
  machine: { cpus: number; loadavg1m: number };
}

function figures(documents: number, chunks: number, ms: number, modelMs: number, storeBytes: number, peakRss: number): IngestRunFigures {
  const s = ms / 1000;
  return {
    documents,
    chunks,
    seconds: round(s, 2),
    documentsPerSecond: round(documents / s),
    chunksPerSecond: round(chunks / s),
    modelSeconds: round(modelMs / 1000, 2),
    modelShare: round(modelMs / ms, 3),
    otherSeconds: round((ms - modelMs) / 1000, 2),
    storeMB: mb(storeBytes),
    peakRssMB: mb(peakRss),
  };
}

/** The naive LangChain ingest a tutorial would write: raw text, character splitter, fromDocuments, save. */
async function langchainIngest(corpusDir: string, storeDir: string, embeddings: LocalEmbeddings, config: Config): Promise<{ documents: number; chunks: number }> {
  const files = (await readdir(corpusDir)).filter((f) => f.endsWith('.txt')).sort();
  const texts = await Promise.all(files.map((f) => readFile(join(corpusDir, f), 'utf8')));
  const splitter = new RecursiveCharacterTextSplitter({ chunkSize: config.CHUNK_SIZE, chunkOverlap: config.CHUNK_OVERLAP });
  const docs = await splitter.createDocuments(texts, files.map((source) => ({ source })));
  // fromDocuments embeds all texts in one embedDocuments call; LocalEmbeddings still batches inside.
  const store = await HNSWLib.fromDocuments(docs, embeddings);
  await store.save(storeDir);
  return { documents: files.length, chunks: docs.length };
}

/** Runs the ingest benchmark in a temp folder (removed at the end) and returns the figures. */
export async function benchIngest(options: IngestBenchOptions = {}): Promise<IngestBenchReport> {
  const docs = options.docs ?? DEFAULT_BENCH_DOCS;
  if (!Number.isInteger(docs) || docs < 1) throw new Error(`--docs must be a positive whole number, not ${docs}`);
  const seed = options.seed ?? 1;
  const say = options.onProgress ?? (() => undefined);
  const tmp = await mkdtemp(join(tmpdir(), 'dafu-bench-ingest-'));
  let embeddings: LocalEmbeddings | undefined;
  try {
    const { config, label } = await benchConfig(options.model ?? 'tiny', tmp, {}, options.env);
    const sampleDir = options.sampleDir ?? config.CORPUS_DIR;
    say(`writing ${docs} synthetic replies from ${sampleDir}`);
    const corpus = await writeSyntheticCorpus(sampleDir, join(tmp, 'corpus'), docs, seed);

    embeddings = createEmbeddings(config);
    const t0 = performance.now();
    const dimensions = await embeddings.load();
    const modelLoadSeconds = round((performance.now() - t0) / 1000, 2);

    // Ours.
    collectGarbage();
    const rssBefore = process.memoryUsage().rss;
    say(`ingesting with dafu (${label})`);
    const ourStore = join(tmp, 'store-dafu');
    let sampler = new RssSampler();
    let lastShown = 0;
    let m0 = embeddings.modelMs;
    let start = performance.now();
    const summary = await runIngest({
      corpusDir: corpus.dir,
      storeDir: ourStore,
      config,
      embeddings,
      onProgress: (p) => {
        const now = performance.now();
        if (p.phase === 'embed' && now - lastShown > 5000 && p.chunksToEmbed > 0) {
          lastShown = now;
          say(`  dafu: ${p.chunksEmbedded}/${p.chunksToEmbed} chunks embedded`);
        } else if (p.phase === 'write') say('  dafu: writing the store');
      },
    });
    let ms = performance.now() - start;
    const dafu = {
      ...figures(summary.documents, summary.chunks, ms, embeddings.modelMs - m0, await folderBytes(ourStore), sampler.stop()),
      commitments: summary.commitments,
      skipped: summary.skipped.length,
      embedded: summary.embedded,
    };
    await rm(ourStore, { recursive: true, force: true });

    // Theirs.
    let langchain: IngestRunFigures | null = null;
    if (!options.skipBaseline) {
      collectGarbage();
      say('ingesting the naive LangChain way (RecursiveCharacterTextSplitter + HNSWLib.fromDocuments)');
      const theirStore = join(tmp, 'store-langchain');
      sampler = new RssSampler();
      m0 = embeddings.modelMs;
      start = performance.now();
      const theirs = await langchainIngest(corpus.dir, theirStore, embeddings, config);
      ms = performance.now() - start;
      langchain = figures(theirs.documents, theirs.chunks, ms, embeddings.modelMs - m0, await folderBytes(theirStore), sampler.stop());
    }

    return {
      model: label,
      dimensions,
      corpus: { documents: corpus.files, MB: mb(corpus.bytes), seed },
      modelLoadSeconds,
      rssBeforeMB: mb(rssBefore),
      dafu,
      langchain,
      timeRatio: langchain ? round(dafu.seconds / langchain.seconds, 2) : null,
      processPeakRssMB: mb(maxRssBytes()),
      machine: { cpus: cpus().length, loadavg1m: round(loadavg()[0] ?? 0, 2) },
    };
  } finally {
    await embeddings?.dispose();
    await rm(tmp, { recursive: true, force: true });
  }
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** The report as a table for a terminal. */
export function formatIngestReport(r: IngestBenchReport): string {
  const rows: Array<[string, (f: IngestRunFigures) => string]> = [
    ['documents', (f) => String(f.documents)],
    ['chunks', (f) => String(f.chunks)],
    ['seconds', (f) => f.seconds.toFixed(2)],
    ['documents/s', (f) => f.documentsPerSecond.toFixed(1)],
    ['chunks/s', (f) => f.chunksPerSecond.toFixed(1)],
    ['in the model (s)', (f) => `${f.modelSeconds.toFixed(2)} (${pct(f.modelShare)})`],
    ['everything else (s)', (f) => `${f.otherSeconds.toFixed(2)} (${pct(1 - f.modelShare)})`],
    ['store on disk (MB)', (f) => f.storeMB.toFixed(1)],
    ['peak RSS (MB)', (f) => f.peakRssMB.toFixed(1)],
  ];
  const w = 22;
  const c = 20;
  const lines = [
    `ingest benchmark: ${r.corpus.documents} synthetic replies (${r.corpus.MB} MB, seed ${r.corpus.seed}), model ${r.model} (${r.dimensions} dims, loaded in ${r.modelLoadSeconds} s)`,
    '',
    `${''.padEnd(w)}${'dafu'.padStart(c)}${(r.langchain ? 'naive LangChain' : '').padStart(c)}`,
    '-'.repeat(w + 2 * c),
    ...rows.map(([label, cell]) => `${label.padEnd(w)}${cell(r.dafu).padStart(c)}${(r.langchain ? cell(r.langchain) : '').padStart(c)}`),
    '',
  ];
  if (r.timeRatio !== null) lines.push(`dafu time ÷ LangChain time: ${r.timeRatio.toFixed(2)}× (dafu also parses sections and commitments and builds BM25 and records)`);
  lines.push(
    `dafu: ${r.dafu.embedded} of ${r.dafu.chunks} chunk texts embedded (the rest repeat an embedded text), ${r.dafu.commitments} commitments, ${r.dafu.skipped} files skipped; RSS before: ${r.rssBeforeMB} MB; process peak RSS: ${r.processPeakRssMB} MB`,
    `machine: ${r.machine.cpus} CPUs, load ${r.machine.loadavg1m} at the end (figures are noisy on a shared machine)`,
  );
  return lines.join('\n');
}

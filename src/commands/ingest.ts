/**
 * `npm run ingest -- [--corpus DIR] [--store DIR|URL] [--json] [--rebuild]`:
 * turns the corpus folder into the store, incrementally (see ingest/run.ts).
 */
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { loadConfig } from '../config.ts';
import type { Command } from './command.ts';
import type { IngestProgress, IngestSummary } from '../../ingest/run.ts';
import { SUPPORTED_EXTENSIONS } from '../../ingest/load/formats.ts';

const usage = `Usage: npm run -s ingest -- [--corpus DIR] [--store DIR|URL] [--json] [--rebuild]

Reads every reply in the corpus folder (.txt .md .html .htm .docx .pdf, recursively),
parses and chunks it, embeds new or changed chunks with the local model and writes
the store (HNSW + BM25 indexes, records, manifest). Unchanged files keep their
vectors; removed files disappear from the store. The new store is built aside and
swapped in at the end, so an interrupted ingest leaves the previous one intact.

Options:
  --corpus DIR   corpus folder (default: CORPUS_DIR, else corpus/)
  --store DIR|URL  store folder, or postgres:// URL (default: STORE_URL, else STORE_DIR, else store/)
  --json         print one JSON summary on stdout:
                 {documents, chunks, commitments, added, changed, removed,
                  unchanged, embedded (texts through the model), skipped:
                  [{file, reason}], model, dimensions, seconds}
  --rebuild      embed everything again instead of reusing stored vectors
                 (needed after changing EMBEDDING_MODEL)
  --help         this text

Exit status: 0 when at least one document is in the store; 1 when nothing could
be ingested, the store cannot be written, or another ingest holds the lock.`;

/** A progress bar on stderr: files while reading, then chunks embedded with rate and ETA. */
function progressBar(): { update(p: IngestProgress): void; stop(): void } {
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: '{stage} |{bar}| {value}/{total} {unit}{extra}',
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let stage = '';
  let embedStart = 0;
  return {
    update(p) {
      if (p.phase === 'read' || p.phase === 'write' || p.phase === 'done') {
        const payload = { stage: p.phase === 'read' ? 'reading  ' : 'writing  ', unit: 'files', extra: '' };
        if (!stage) bar.start(Math.max(p.filesTotal, 1), p.filesDone, payload);
        else if (stage !== p.phase) bar.setTotal(Math.max(p.filesTotal, 1));
        bar.update(p.filesDone, payload);
      } else {
        if (stage !== 'embed') embedStart = performance.now();
        // Files are still being read while chunks are embedded (ingest streams), so the total grows;
        // the ETA assumes the unread files have as many chunks per file as the read ones.
        const expected = p.filesDone > 0 && p.filesDone < p.filesTotal ? Math.round((p.chunksToEmbed * p.filesTotal) / p.filesDone) : p.chunksToEmbed;
        bar.setTotal(Math.max(p.chunksToEmbed, 1));
        // Rate and ETA from our own clock: the first batch includes loading the model, which cli-progress's ETA cannot know.
        const secs = (performance.now() - embedStart) / 1000;
        const rate = secs > 0 ? p.chunksEmbedded / secs : 0;
        const eta = rate > 0 ? ` | ${rate.toFixed(1)} chunks/s | ETA ${formatSeconds(Math.max(0, expected - p.chunksEmbedded) / rate)}` : '';
        bar.update(p.chunksEmbedded, { stage: 'embedding', unit: 'chunks', extra: ` | files ${p.filesDone}/${p.filesTotal}${eta}` });
      }
      stage = p.phase;
    },
    stop() {
      if (stage) bar.stop();
    },
  };
}

function formatSeconds(s: number): string {
  if (s < 60) return `${Math.ceil(s)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.ceil(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

function humanSummary(s: IngestSummary, storeDir: string): string {
  const dims = s.dimensions ? `, ${s.dimensions} dimensions` : '';
  return [
    `Ingested ${s.documents} document${s.documents === 1 ? '' : 's'} into ${storeDir}: ${s.chunks} chunks, ${s.commitments} commitments.`,
    `  added ${s.added}, changed ${s.changed}, removed ${s.removed}, unchanged ${s.unchanged}; skipped ${s.skipped.length}`,
    `  model ${s.model}${dims}; ${s.seconds.toFixed(1)} s`,
  ].join('\n');
}

export const command: Command = {
  summary: 'build or update the store from the corpus folder',
  usage,
  async run(argv) {
    let values: { corpus?: string; store?: string; json?: boolean; rebuild?: boolean };
    try {
      ({ values } = parseArgs({
        args: argv,
        options: { corpus: { type: 'string' }, store: { type: 'string' }, json: { type: 'boolean' }, rebuild: { type: 'boolean' } },
        allowPositionals: false,
      }));
    } catch (err) {
      console.error(`dafu ingest: ${(err as Error).message}\n\n${usage}`);
      return 2;
    }
    const { describeConfiguredStore, withStoreArg } = await import('../store/open.ts');
    const config = withStoreArg(loadConfig(), values.store);
    const corpusDir = values.corpus ?? config.CORPUS_DIR;
    const storeDir = await describeConfiguredStore(config);
    // Loaded here, not at the top: --help must not pay for onnxruntime.
    const { runIngest } = await import('../../ingest/run.ts');
    const bar = process.stderr.isTTY ? progressBar() : undefined;
    let summary: IngestSummary;
    try {
      summary = await runIngest({
        corpusDir,
        storeDir: config.STORE_DIR,
        config,
        rebuild: values.rebuild ?? false,
        onProgress: bar ? (p) => bar.update(p) : undefined,
        onNotice: (msg) => console.error(`dafu ingest: ${msg}`),
      });
    } finally {
      bar?.stop();
    }
    if (values.json) {
      process.stdout.write(`${JSON.stringify(summary)}\n`);
    } else {
      for (const s of summary.skipped) console.error(`skipped ${s.file}: ${s.reason}`);
      if (summary.documents > 0) console.log(humanSummary(summary, storeDir));
    }
    if (summary.documents === 0) {
      // An empty folder (or one with only hidden files) deserves a different hint than a folder of bad files.
      const why = summary.skipped.length === 0 ? `no reply files found; supported: ${SUPPORTED_EXTENSIONS.join(' ')}` : `${summary.skipped.length} file(s) skipped, see above`;
      console.error(`dafu ingest: nothing could be ingested from ${corpusDir}: ${why}. The store in ${storeDir} was not changed.`);
      return 1;
    }
    return 0;
  },
};

/**
 * `npm run eval -- --questions FILE [--store DIR|URL] [--k 5] [--json]`: retrieval
 * and answer quality on a question set, side by side with the naive
 * LangChain baseline built from the same corpus and model.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { openEngine } from '../answer/open.ts';
import { DafuInputError } from '../errors.ts';
import { buildBaseline } from '../eval/baseline.ts';
import { loadQuestions } from '../eval/questions.ts';
import { runEval } from '../eval/run.ts';
import { formatReport } from '../eval/table.ts';
import type { Command } from './command.ts';

const usage = `Usage: npm run -s eval -- --questions FILE [--store DIR|URL] [--k 5] [--json] [--corpus DIR] [--no-baseline]

Runs every question of FILE (JSON Lines: id, question, doc, quote, answer, kind;
unanswerable items have empty doc and quote) through dafu and through the naive
LangChain baseline (RecursiveCharacterTextSplitter + HNSWLib, dense only, same
embedding model), and prints the figures side by side:
  quote-hit@1 / @k  a retrieved chunk from doc contains quote (whitespace removed,
                    full/half-width punctuation folded)
  doc-hit@k, MRR    (MRR of the first quote hit within k)
  abstain accuracy  on unanswerable items; false abstain rate on answerable ones
  citation validity share of answers whose quotes are verbatim and markers resolve
overall and per kind, plus the calibration of ABSTAIN_THRESHOLD.

Options:
  --questions FILE   the question set (required)
  --store DIR|URL    store folder, or postgres:// URL (default: STORE_URL, else STORE_DIR, else store/)
  --k N              cut-off for @k and MRR (default 5)
  --json             one JSON object on stdout: {summary, baseline, results, calibration}
  --corpus DIR       where the store's source files are, for the baseline
                     (default: CORPUS_DIR, else the folder the store was built from)
  --no-baseline      skip the baseline
  --help             this text`;

export const command: Command = {
  summary: 'measure retrieval and answer quality against the naive baseline',
  usage,
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: {
        questions: { type: 'string' },
        store: { type: 'string' },
        k: { type: 'string', default: '5' },
        json: { type: 'boolean', default: false },
        corpus: { type: 'string' },
        'no-baseline': { type: 'boolean', default: false },
      },
      allowPositionals: false,
    });
    if (!values.questions) throw new DafuInputError(`dafu eval: --questions FILE is required.\n\n${usage}`);
    const k = Number(values.k);
    if (!Number.isInteger(k) || k < 1 || k > 50) throw new DafuInputError(`--k must be a whole number from 1 to 50, got "${values.k}"`);
    const config = loadConfig();
    const questions = await loadQuestions(values.questions);
    const { engine, store } = await openEngine(config, values.store, { onWarning: (m) => console.error(`dafu eval: ${m}`) });
    let baseline = null;
    if (!values['no-baseline']) {
      // The store remembers where it was built from; --corpus and CORPUS_DIR still win when given.
      const corpus = values.corpus ?? (process.env.CORPUS_DIR ? config.CORPUS_DIR : (store.manifest.corpusDir ?? config.CORPUS_DIR));
      try {
        baseline = await buildBaseline(corpus, Object.keys(store.manifest.files), store.embeddings, { chunkSize: config.CHUNK_SIZE, chunkOverlap: config.CHUNK_OVERLAP });
      } catch (err) {
        throw new DafuInputError(`dafu eval: cannot build the baseline from ${corpus} (${(err as Error).message}); pass --corpus DIR (the folder the store was ingested from) or --no-baseline.`);
      }
    }
    const report = await runEval(engine, baseline, questions, k, (done, total) => {
      if (!values.json && process.stderr.isTTY) process.stderr.write(`\r${done}/${total}`);
    });
    if (!values.json && process.stderr.isTTY) process.stderr.write('\r');
    if (values.json) {
      console.log(JSON.stringify({ summary: report.summary, baseline: report.baseline, results: report.results, calibration: report.calibration }));
    } else {
      console.log(`${questions.length} questions from ${values.questions}, store ${store.dir}${baseline ? `, baseline ${baseline.chunks} chunks` : ''}\n`);
      console.log(formatReport(report));
    }
    return 0;
  },
};

/**
 * `npm run ask -- [--store DIR|URL] [--json] [filters] "问题"`: one question, one
 * answer with its sources, from the store.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { answerJson, formatAnswer, openEngine } from '../answer/index.ts';
import { DafuInputError } from '../errors.ts';
import type { Command } from './command.ts';
import { FILTER_OPTIONS, FILTER_USAGE, filtersFrom } from './filter-options.ts';

const usage = `Usage: npm run -s ask -- [--store DIR|URL] [--json] [--k N] [filters] "问题"

Answers a question from the store with citations. Each sentence of the answer is
quoted verbatim from a reply and followed by its source marker [n]; the sources
are listed as 【n】 title · 发文字号 · section · date. When no passage is relevant
enough it says so and lists the closest passages as possibly related.
LLM mode is used when LLM_BASE_URL and LLM_MODEL are set (checked, with fallback).

Options:
  --store DIR|URL    store folder, or postgres:// URL (default: STORE_URL, else STORE_DIR, else store/)
  --json             print one JSON object on stdout:
                     {question, found, answer, citations: [{n, file, title, docNumber,
                      issuer, date, section, text}], timings, kind, resolvedQuestion, related}
  --k N              passages retrieved (default: RETRIEVAL_TOP_K)
${FILTER_USAGE}
  --help             this text

Exit status: 0 when a question was handled (answered or "not found": see found in --json), 1 on errors.`;

export const command: Command = {
  summary: 'answer a question with citations from the replies',
  usage,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { store: { type: 'string' }, json: { type: 'boolean', default: false }, k: { type: 'string' }, ...FILTER_OPTIONS },
      allowPositionals: true,
    });
    const question = positionals.join(' ').trim();
    if (!question) throw new DafuInputError(`dafu ask: no question given.\n\n${usage}`);
    const config = loadConfig();
    const k = values.k === undefined ? undefined : Number(values.k);
    if (k !== undefined && (!Number.isInteger(k) || k < 1 || k > 50)) throw new DafuInputError(`--k must be a whole number from 1 to 50, got "${values.k}"`);
    if (question.length > config.MAX_QUESTION_LENGTH) throw new DafuInputError(`The question is ${question.length} characters; the limit is ${config.MAX_QUESTION_LENGTH} (MAX_QUESTION_LENGTH).`);
    const { engine } = await openEngine(config, values.store, { onWarning: (m) => console.error(`dafu ask: ${m}`) });
    const answer = await engine.ask(question, { filters: filtersFrom(values), ...(k ? { k } : {}) });
    console.log(values.json ? JSON.stringify(answerJson(answer)) : formatAnswer(answer));
    return 0;
  },
};

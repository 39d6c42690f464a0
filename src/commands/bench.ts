/**
 * `npm run bench -- <ingest|query|bot> [options]`: performance measurements.
 * Each sub-benchmark lives in `src/bench/<name>.ts`; this file only dispatches.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import type { Command } from './command.ts';

const usage = `Usage: npm run -s bench -- <ingest|query|bot> [options]

  bot      50 chats asking at once through the real bot against a local Bot API
           server on 127.0.0.1: answers per second and p50/p95 latency.
           --chats N (50)  --rounds N (3)  --questions FILE (JSON Lines with "question")
           --tiny          use the tiny offline test model on a temp store built
                           from CORPUS_DIR (no model download; measures the bot,
                           not retrieval quality)
           --json          one JSON object on stdout
  ingest   (not implemented yet)
  query    (not implemented yet)`;

async function bot(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { chats: { type: 'string' }, rounds: { type: 'string' }, questions: { type: 'string' }, tiny: { type: 'boolean' }, json: { type: 'boolean' } },
    strict: true,
  });
  const { benchBot } = await import('../bench/bot.ts');
  const result = await benchBot(loadConfig(), {
    chats: values.chats ? Number(values.chats) : undefined,
    rounds: values.rounds ? Number(values.rounds) : undefined,
    questionsFile: values.questions,
    tiny: values.tiny,
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

const benches: Record<string, (argv: string[]) => Promise<number>> = {
  bot,
  // Filled in by their owners (issue 3: ingest, issue 4: query).
  ingest: async () => {
    console.error('dafu bench ingest: not implemented yet');
    return 2;
  },
  query: async () => {
    console.error('dafu bench query: not implemented yet');
    return 2;
  },
};

export const command: Command = {
  summary: 'performance benchmarks: bench <ingest|query|bot>',
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

/**
 * `npm run chat`: a terminal conversation with the engine. Follow-ups
 * (「那省科技厅呢？」, 「第二条详细说说」, 「这个是哪年答复的」) are resolved
 * against the previous turns. Reads lines from stdin, so it also works with
 * piped input (no prompt is printed then).
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { formatAnswer, formatSourceLine } from '../answer/format.ts';
import { openEngine } from '../answer/open.ts';
import type { Citation, Conversation } from '../answer/types.ts';
import type { Command } from './command.ts';
import { isTestModel, TEST_MODEL_NOTICE_ZH } from '../embeddings/is-test-model.ts';
import { FILTER_OPTIONS, FILTER_USAGE, filtersFrom } from './filter-options.ts';

const usage = `Usage: npm run -s chat -- [--store DIR] [filters]

A conversation in the terminal: type a question, get an answer with sources.
Follow-ups refer to the previous answer: 「那省科技厅呢？」 asks the same about
another department, 「第二条详细说说」 shows source 2 in full, 「这个是哪年答复的」
asks about the top source.

Commands:
  /source N   print source N of the last answer in full
  /reset      forget the conversation
  /help       this text
  /quit       leave (or Ctrl-D)

Options:
  --store DIR        store folder (default: STORE_DIR, else store/)
${FILTER_USAGE}`;

export const command: Command = {
  summary: 'a conversation in the terminal, with follow-up questions',
  usage,
  async run(argv) {
    const { values } = parseArgs({ args: argv, options: { store: { type: 'string' }, ...FILTER_OPTIONS }, allowPositionals: false });
    const config = loadConfig();
    const filters = filtersFrom(values);
    const { engine } = await openEngine(config, values.store ?? config.STORE_DIR, { onWarning: (m) => console.error(`dafu chat: ${m}`) });
    const interactive = Boolean(process.stdin.isTTY);
    const conversation: Conversation = { turns: [] };
    let lastSources: Citation[] = [];

    const rl = createInterface({ input: process.stdin, output: interactive ? process.stdout : undefined, terminal: interactive });
    // Printed piped or not: whoever reads the answers must know they come from the test model.
    if (isTestModel(config.EMBEDDING_MODEL)) console.log(TEST_MODEL_NOTICE_ZH);
    if (interactive) {
      const s = engine.stats();
      console.log(`dafu chat — ${s.replies} replies, ${s.chunks} passages. /help for commands.`);
      rl.setPrompt('问> ');
      rl.prompt();
    }
    for await (const raw of rl) {
      const line = raw.trim();
      if (line) {
        if (line === '/quit' || line === '/exit') break;
        if (line === '/help') console.log(usage);
        else if (line === '/reset') {
          conversation.turns = [];
          lastSources = [];
          console.log('（对话已重置）');
        } else if (/^\/source\b/.test(line)) {
          const n = Number(line.slice('/source'.length).trim());
          const c = lastSources.find((x) => x.n === n);
          console.log(c ? `${formatSourceLine(c)}\n${c.text}` : lastSources.length ? `没有来源 ${line.slice(8).trim() || '?'}：可用 1–${lastSources.length}。` : '还没有可查看的来源。');
        } else if (line.startsWith('/')) {
          console.log(`未知命令 ${line}；/help 查看命令。`);
        } else if (line.length > config.MAX_QUESTION_LENGTH) {
          console.log(`问题过长（${line.length} 字），上限 ${config.MAX_QUESTION_LENGTH} 字。`);
        } else {
          try {
            const a = await engine.ask(line, { conversation, filters });
            lastSources = a.citations.length > 0 ? a.citations : a.related;
            console.log(formatAnswer(a));
          } catch (err) {
            // One failed question must not end the conversation.
            console.log(`出错了：${(err as Error).message}`);
          }
        }
        console.log('');
      }
      if (interactive) rl.prompt();
    }
    rl.close();
    return 0;
  },
};

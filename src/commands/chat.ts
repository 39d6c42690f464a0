/**
 * `npm run chat`: a terminal conversation with the engine. Follow-ups
 * (「那省科技厅呢？」, 「第二条详细说说」, 「这个是哪年答复的」) are resolved
 * against the previous turns. Reads lines from stdin, so it also works with
 * piped input (no prompt is printed then).
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { formatAnswer, formatSourceLine, openEngine, type Citation, type Conversation, type Engine } from '../answer/index.ts';
import { renderReplyCard, visibleText } from '../bot/html.ts';
import { excerpt } from '../bot/messages.ts';
import type { Command } from './command.ts';
import { isTestModel, TEST_MODEL_NOTICE_ZH } from '../embeddings/is-test-model.ts';
import { FILTER_OPTIONS, FILTER_USAGE, filtersFrom } from './filter-options.ts';

const usage = `Usage: npm run -s chat -- [--store DIR|URL] [filters]

A conversation in the terminal: type a question, get an answer with sources.
Follow-ups refer to the previous answer: 「那省科技厅呢？」 asks the same about
another department, 「第二条详细说说」 shows source 2 in full, 「这个是哪年答复的」
asks about the top source. Inside the chat, /help lists the commands (the
bot's /doc and /commitments included).

Options:
  --store DIR|URL    store folder, or postgres:// URL (default: STORE_URL, else STORE_DIR, else store/)
${FILTER_USAGE}`;

/** The in-chat /help: in Chinese, like every other line the chat prints. */
export const CHAT_HELP = [
  '直接输入问题即可提问，回答附出处；追问基于上一条回答，例如「那省科技厅呢？」「第二条详细说说」「这个是哪年答复的」。',
  '',
  '命令：',
  '  /doc 发文字号、编号或答复对象   查看某份答复的概要与章节，例如 /doc 〔2025〕6号、/doc 第0147号代表建议、/doc 张立华',
  '  /commitments [部门 关键词 年份]  下一步工作承诺，例如 /commitments 省科技厅 人工智能、/commitments 2024',
  '  /source N                       查看上一条回答的第 N 个来源全文',
  '  /reset                          清除对话上下文',
  '  /help                           显示本说明',
  '  /quit                           退出（或按 Ctrl-D）',
].join('\n');


/** /doc in the terminal: the card of the one reply the query names, or the candidates when it names several. */
function docText(engine: Engine, query: string): string {
  if (!query) return '用法：/doc 发文字号、建议/提案编号或答复对象，例如 /doc 〔2025〕6号';
  const found = engine.findReplies(query);
  if (found.length === 0) return `没有找到与「${excerpt(query)}」对应的答复。`;
  if (found.length === 1) return visibleText(renderReplyCard(found[0]!));
  return [`「${excerpt(query)}」对应 ${found.length} 份答复，请输入更完整的发文字号或编号：`, ...found.map((r) => `  · ${r.docNumber ?? (r.proposalNumber ? `第${r.proposalNumber}号` : (r.title ?? r.file))}${r.recipient ? `（${r.recipient.replace(/^尊敬的/u, '').replace(/[：:\s]+$/u, '')}）` : ''}`)].join('\n');
}

/** Commitments shown at once in the terminal; the rest is counted, with how to narrow the list. */
const CHAT_COMMITMENTS = 40;

/** /commitments in the terminal: the promises by department, each with its reply and section. */
function commitmentsText(engine: Engine, filter: string): string {
  const entries = engine.commitments(filter || undefined);
  if (entries.length === 0) return filter ? `没有找到与「${excerpt(filter)}」相关的下一步工作承诺。` : '资料库中还没有提取到下一步工作承诺。';
  const lines = [`下一步工作承诺${filter ? `（${excerpt(filter)}）` : ''}：共 ${entries.length} 条`];
  let group: string | undefined;
  for (const e of entries.slice(0, CHAT_COMMITMENTS)) {
    if (e.group !== group) lines.push('', `【${(group = e.group)}】`);
    lines.push(`  · ${e.text}`, `    —— ${[e.reply.docNumber ?? e.reply.title ?? e.reply.file, e.section.join(' > ')].filter(Boolean).join(' · ')}`);
  }
  if (entries.length > CHAT_COMMITMENTS) lines.push('', `……还有 ${entries.length - CHAT_COMMITMENTS} 条；加上部门、关键词或年份可缩小范围，例如 /commitments 省科技厅 2025`);
  return lines.join('\n');
}

export const command: Command = {
  summary: 'a conversation in the terminal, with follow-up questions',
  usage,
  async run(argv) {
    const { values } = parseArgs({ args: argv, options: { store: { type: 'string' }, ...FILTER_OPTIONS }, allowPositionals: false });
    const config = loadConfig();
    const filters = filtersFrom(values);
    const { engine } = await openEngine(config, values.store, { onWarning: (m) => console.error(`dafu chat: ${m}`) });
    const interactive = Boolean(process.stdin.isTTY);
    const conversation: Conversation = { turns: [] };
    let lastSources: Citation[] = [];

    const rl = createInterface({ input: process.stdin, output: interactive ? process.stdout : undefined, terminal: interactive });
    // Printed piped or not: whoever reads the answers must know they come from the test model.
    if (isTestModel(config.EMBEDDING_MODEL)) console.log(TEST_MODEL_NOTICE_ZH);
    if (interactive) {
      const s = engine.stats();
      console.log(`答复助手（终端）— 共 ${s.replies} 份答复、${s.chunks} 个段落。输入 /help 查看命令。`);
      rl.setPrompt('问> ');
      rl.prompt();
    }
    for await (const raw of rl) {
      const line = raw.trim();
      if (line) {
        if (line === '/quit' || line === '/exit') break;
        if (line === '/help') console.log(CHAT_HELP);
        else if (/^\/doc(?:\s|$)/.test(line)) console.log(docText(engine, line.slice(4).trim()));
        else if (/^\/commitments(?:\s|$)/.test(line)) console.log(commitmentsText(engine, line.slice(12).trim()));
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

/**
 * `npm run bench -- bot`: many chats asking at once, end to end through the
 * real bot (grammY runner, real HTTP) against a local Bot API server on
 * 127.0.0.1. Latency is from an update being queued to the last message of
 * its answer being sent, so it includes polling, the engine, rendering and
 * the Bot API round trips, but not Telegram's network.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runIngest } from '../../ingest/run.ts';
import { createEngine, type Engine } from '../answer/index.ts';
import { createBot } from '../bot/createBot.ts';
import { prepareEngine } from '../bot/engine-setup.ts';
import { startBot } from '../bot/run.ts';
import { loadConfig, type Config } from '../config.ts';
import { createEmbeddings } from '../embeddings/index.ts';
import { createLogger } from '../log.ts';
import { openStore } from '../store/open.ts';
import { LocalBotApi } from './local-bot-api.ts';
import { benchConfig, type BenchModel } from './measure.ts';
import { writeSyntheticCorpus } from './synthetic-corpus.ts';

export interface BotBenchOptions {
  /** Chats asking at the same moment; default 50. */
  chats?: number;
  /** Rounds of `chats` questions each (after one warm-up question); default 3. */
  rounds?: number;
  /**
   * `tiny` / `bench`: the tiny test model or the generated benchmark model on a
   * temp store built from CORPUS_DIR (no model download); `real` (default):
   * STORE_DIR with EMBEDDING_MODEL, ingesting first if needed.
   */
  model?: BenchModel;
  /** With `tiny` / `bench`: build the temp store from this many synthetic replies instead of CORPUS_DIR. */
  docs?: number;
  /** JSON Lines file with `{question}` per line; default a built-in mix. */
  questionsFile?: string;
  onProgress?: (message: string) => void;
}

export interface BotBenchResult {
  chats: number;
  rounds: number;
  answers: number;
  seconds: number;
  answersPerSecond: number;
  latencyMs: { p50: number; p95: number; max: number };
  model: string;
}

const QUESTIONS = [
  '第0147号代表建议是哪份答复？',
  '吉科发高〔2024〕74号是回哪个提案的？',
  '省科技厅下一步有什么打算？',
  '关于人工智能科技创新，答复中提到了哪些支持措施？',
  '省商务厅答应了什么？',
  '如何帮助机械制造企业开拓海外市场？',
  '科技人才培养有哪些举措？',
  '制造业集聚发展有什么建议的答复？',
];

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function loadQuestions(file?: string): Promise<string[]> {
  if (!file) return QUESTIONS;
  const lines = (await readFile(file, 'utf8')).split('\n').filter((l) => l.trim());
  return lines.map((l) => (JSON.parse(l) as { question: string }).question).filter(Boolean);
}

/** Runs the benchmark; `config` supplies the store and model settings (the bot token is the local server's). */
export async function benchBot(config: Config, options: BotBenchOptions = {}): Promise<BotBenchResult> {
  const chats = options.chats ?? 50;
  const rounds = options.rounds ?? 3;
  const say = options.onProgress ?? (() => undefined);
  const questions = await loadQuestions(options.questionsFile);
  const logger = createLogger({ level: 'warn' });
  const cleanup: Array<() => Promise<void>> = [];
  try {
    let engine: Engine;
    let model: string;
    const which = options.model ?? 'real';
    if (which !== 'real') {
      const dir = await mkdtemp(join(tmpdir(), 'dafu-bench-bot-'));
      cleanup.push(() => rm(dir, { recursive: true, force: true }));
      const { config: cfg, label } = await benchConfig(which, dir, { STORE_DIR: join(dir, 'store'), CORPUS_DIR: config.CORPUS_DIR });
      const embeddings = createEmbeddings(cfg);
      cleanup.push(() => embeddings.dispose());
      let corpusDir = cfg.CORPUS_DIR;
      if (options.docs !== undefined) {
        say(`writing ${options.docs} synthetic replies from ${cfg.CORPUS_DIR}`);
        corpusDir = (await writeSyntheticCorpus(cfg.CORPUS_DIR, join(dir, 'corpus'), options.docs, 1)).dir;
      }
      say(`building a temp store from ${corpusDir} with the ${label}`);
      await runIngest({ corpusDir, storeDir: cfg.STORE_DIR, config: cfg, embeddings });
      engine = createEngine(await openStore(cfg.STORE_DIR, { embeddings, ef: cfg.HNSW_EF }), cfg, { llm: null });
      model = label;
    } else {
      say(`opening ${config.STORE_DIR} (ingesting ${config.CORPUS_DIR} first if needed)`);
      const prepared = await prepareEngine(config, logger);
      cleanup.push(() => prepared.embeddings.dispose());
      engine = prepared.engine;
      model = config.EMBEDDING_MODEL;
    }

    const api = await LocalBotApi.start({ maxPollMs: 1000 });
    cleanup.push(() => api.close());
    const botConfig = loadConfig({ TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.apiRoot, BOT_OPEN_ACCESS: 'true', RATE_LIMIT_PER_MINUTE: '1000', LOG_LEVEL: 'warn' });
    const bot = createBot(botConfig, { engine, logger });
    const running = await startBot(bot, botConfig, logger, { pollTimeoutSeconds: 1, concurrency: Math.max(64, chats) });
    cleanup.push(() => running.stop());

    const askAll = async (ids: number[], round: number) => {
      const since = api.calls.length;
      const pushed = new Map<number, number>();
      ids.forEach((id, i) => {
        pushed.set(id, api.now());
        api.sendText({ userId: id, text: questions[(i + round) % questions.length]! });
      });
      // Every chat has had at least one message, and the bot has nothing left in flight.
      for (;;) {
        const answered = new Set(api.callsOf('sendMessage', since).map((c) => Number(c.params.chat_id)));
        if (ids.every((id) => answered.has(id)) && bot.busy === 0) break;
        await new Promise((r) => setTimeout(r, 5));
      }
      const last = new Map<number, number>();
      for (const c of api.callsOf('sendMessage', since)) last.set(Number(c.params.chat_id), c.at);
      return ids.map((id) => last.get(id)! - pushed.get(id)!);
    };

    say('warming up');
    await askAll([1], 0);
    const latencies: number[] = [];
    let seconds = 0;
    for (let r = 0; r < rounds; r++) {
      const ids = Array.from({ length: chats }, (_, i) => 10_000 + r * chats + i);
      const t0 = performance.now();
      latencies.push(...(await askAll(ids, r)));
      seconds += (performance.now() - t0) / 1000;
      say(`round ${r + 1}/${rounds}: ${chats} answers`);
    }
    const sorted = [...latencies].sort((a, b) => a - b);
    return {
      chats,
      rounds,
      answers: latencies.length,
      seconds: Number(seconds.toFixed(2)),
      answersPerSecond: Number((latencies.length / seconds).toFixed(1)),
      latencyMs: { p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted.at(-1) ?? 0 },
      model,
    };
  } finally {
    for (const fn of cleanup.reverse()) await fn().catch(() => undefined);
  }
}

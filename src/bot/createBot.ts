/**
 * Builds dafu's Telegram bot. Nothing starts here: `src/bot/run.ts` starts
 * polling or a webhook; tests and the bench build a bot and run it against
 * their own Bot API server.
 */
import { sequentialize } from '@grammyjs/runner';
import { Bot, type ApiClientOptions, type Context } from 'grammy';
import { agentFor } from '../net/proxy.ts';
import type { Update, UserFromGetMe } from 'grammy/types';
import type { Engine } from '../answer/index.ts';
import type { Config } from '../config.ts';
import { DafuInputError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { pacingTransformer, retryTransformer, type PacingOptions, type RetryOptions } from './api.ts';
import { errorBoundary } from './error-boundary.ts';
import { accessGuard } from './features/access.ts';
import { askFeature } from './features/ask.ts';
import { commitmentsFeature } from './features/commitments.ts';
import { docFeature } from './features/doc.ts';
import { infoFeature } from './features/info.ts';
import { reloadFeature } from './features/reload.ts';
import { resetFeature } from './features/reset.ts';
import { sourcesFeature } from './features/sources.ts';
import { MSG } from './messages.ts';
import type { BotServices, ReloadResult } from './services.ts';
import { memoryState, type BotState } from './state.ts';

export interface BotDeps {
  engine: Engine;
  logger: Logger;
  /** Re-ingest and open a new engine, for /reload; without it /reload says it is unsupported. */
  reload?: () => Promise<ReloadResult>;
  /** Reopens the published store when another instance announces one (several instances, REDIS_URL). */
  reopen?: () => Promise<Engine>;
  /** History, rate limits, buttons, seen updates and locks; default in memory (one instance). See `openBotState`. */
  state?: BotState;
  /** Skips `getMe` at start when known (tests, webhook cold starts). */
  botInfo?: UserFromGetMe;
  /** Outgoing pacing; `false` turns it off (the bench measures the engine, not Telegram's limits). */
  pacing?: PacingOptions | false;
  /** Retry tuning (attempts, backoff); defaults suit Telegram. */
  retry?: Omit<RetryOptions, 'logger'>;
  /** Client timeout per API call in seconds; must exceed the long-polling timeout. Default 75. */
  timeoutSeconds?: number;
}

/**
 * grammY client options for TELEGRAM_API_ROOT: the API root, the timeout,
 * and, when HTTPS_PROXY (or HTTP_PROXY for an http root) applies to it, an
 * agent that tunnels through the proxy (grammY's fetch ignores those
 * variables by itself).
 */
export function telegramClientOptions(config: Config, timeoutSeconds: number): ApiClientOptions {
  const apiRoot = config.TELEGRAM_API_ROOT?.replace(/\/+$/, '');
  const agent = agentFor(apiRoot ?? 'https://api.telegram.org');
  return { ...(apiRoot ? { apiRoot } : {}), timeoutSeconds, ...(agent ? { baseFetchConfig: { agent, compress: true } } : {}) };
}

/** A grammY Bot that also knows which updates are in flight, so shutdown can wait for them. */
export class DafuBot extends Bot<Context> {
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    token: string,
    config: ConstructorParameters<typeof Bot<Context>>[1],
    /** Shared state of the features; `services.engine` is the engine answering now. */
    readonly services: BotServices,
  ) {
    super(token, config);
  }

  override handleUpdate(update: Update, webhookReplyEnvelope?: Parameters<Bot<Context>['handleUpdate']>[1]): Promise<void> {
    const p = super.handleUpdate(update, webhookReplyEnvelope);
    const tracked = p.catch(() => undefined);
    this.inFlight.add(tracked);
    void tracked.finally(() => this.inFlight.delete(tracked));
    return p;
  }

  /** Number of updates being handled right now. */
  get busy(): number {
    return this.inFlight.size;
  }

  /** Resolves when every update being handled now (and any started meanwhile) has finished. */
  async whenIdle(): Promise<void> {
    while (this.inFlight.size) await Promise.all([...this.inFlight]);
  }
}

/**
 * Creates the bot with its features, in order: per-chat sequencing (a chat's
 * follow-up waits for its previous answer; other chats run in parallel),
 * the access guard, the commands and buttons, then questions; an error
 * boundary catches whatever fails. Outgoing calls are retried (429, 5xx,
 * network) and paced to Telegram's limits.
 *
 * Throws DafuInputError when `config.TELEGRAM_BOT_TOKEN` is not set.
 */
export function createBot(config: Config, deps: BotDeps): DafuBot {
  const token = config.TELEGRAM_BOT_TOKEN;
  if (!token) throw new DafuInputError('TELEGRAM_BOT_TOKEN is not set: get a token from @BotFather and put TELEGRAM_BOT_TOKEN=... in .env.');
  const state = deps.state ?? memoryState(config);
  const services: BotServices = {
    config,
    logger: deps.logger,
    engine: deps.engine,
    reload: deps.reload,
    reopen: deps.reopen,
    history: state.history,
    limiter: state.limiter,
    keys: state.keys,
    seen: state.seen,
    instances: state.instances,
  };
  const bot = new DafuBot(token, { client: telegramClientOptions(config, deps.timeoutSeconds ?? 75), ...(deps.botInfo ? { botInfo: deps.botInfo } : {}) }, services);
  // Order matters: grammY runs the last installed transformer first, so pacing
  // wraps retry and a retried call does not take a second pacing slot.
  bot.api.config.use(retryTransformer({ logger: deps.logger, ...deps.retry }));
  if (deps.pacing !== false) bot.api.config.use(pacingTransformer(deps.pacing ?? {}));

  // A copy of an update already taken (here or by another instance) is dropped before it queues.
  bot.use(async (ctx, next) => {
    if (await services.seen.first(ctx.update.update_id)) return next();
    deps.logger.info('duplicate update dropped', { updateId: ctx.update.update_id });
  });
  bot.use(sequentialize((ctx: Context) => (ctx.chat ? String(ctx.chat.id) : undefined)));
  bot.use(accessGuard(services));
  bot.use(infoFeature(services));
  bot.use(resetFeature(services));
  bot.use(reloadFeature(services));
  bot.use(docFeature(services));
  bot.use(commitmentsFeature(services));
  bot.use(sourcesFeature(services));
  bot.use(askFeature(services));
  // A mistyped command in a private chat gets a hint instead of silence.
  bot.chatType('private').on('message:text', async (ctx) => {
    if (ctx.message.text.startsWith('/')) await ctx.reply(MSG.unknownCommand);
  });
  // Every callback query gets an answer, or the button spins for the user.
  bot.on('callback_query', (ctx) => ctx.answerCallbackQuery());
  bot.catch(errorBoundary(deps.logger));
  return bot;
}

/**
 * A stand-in for the Telegram Bot API on 127.0.0.1, for the bot's tests and
 * `npm run bench -- bot`. It serves `getUpdates` from a queue (long-polling:
 * a call waits until an update arrives or its timeout, capped to keep tests
 * fast), records every method call with its parameters, answers the common
 * methods plausibly, and can be told to fail the next calls of a method with
 * 429 (with `retry_after`) or 500, to fail every call of a method for a
 * while (an outage: an HTTP error, or connections dropped as when the API is
 * unreachable), or to answer a method slowly.
 *
 * With `deliverWebhooks`, it behaves as Telegram does after setWebhook:
 * each update is POSTed to the webhook URL with the secret header, and
 * re-sent (after `webhookRetryMs`) while the request fails or does not
 * finish; `deliveries` records every attempt.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedCall {
  method: string;
  params: Record<string, unknown>;
  /** ms since the server started. */
  at: number;
  /** What the server answered (the `result`, or the error object). */
  response: unknown;
}

type Json = Record<string, unknown>;
type Failure = { code: 429; retryAfter: number } | { code: 500 } | { code: number; description?: string };

export interface LocalBotApiOptions {
  /** The token the bot must use; default a fixed fake one. */
  token?: string;
  username?: string;
  /** Cap on how long one getUpdates waits, ms; default 500 so stopping is quick. */
  maxPollMs?: number;
  /** POST updates to the URL given by setWebhook (instead of queueing them for getUpdates), as Telegram does. Default false. */
  deliverWebhooks?: boolean;
  /** Wait before re-sending an update whose webhook request failed; default 300 ms. */
  webhookRetryMs?: number;
}

/** One attempt to deliver an update to the webhook: the HTTP status, or 'network' when the request did not finish. */
export interface WebhookDelivery {
  updateId: number;
  attempt: number;
  status: number | 'network';
}

export class LocalBotApi {
  readonly calls: RecordedCall[] = [];
  readonly token: string;
  readonly botUser: { id: number; is_bot: true; first_name: string; username: string; can_join_groups: true; can_read_all_group_messages: false; supports_inline_queries: false; can_connect_to_business: false; has_main_web_app: false };
  private readonly updates: Json[] = [];
  private nextUpdateId = 1;
  private readonly nextMessageId = new Map<number, number>();
  private readonly chats = new Map<number, Json>();
  private readonly failures = new Map<string, Failure[]>();
  private readonly outages: Array<{ method: string; until: number; failure: Failure | 'network' }> = [];
  private readonly latency = new Map<string, number>();
  /** Calls received per method, counted on arrival (before any latency or failure). */
  readonly arrived = new Map<string, number>();
  private readonly pollers = new Set<() => void>();
  private readonly callListeners = new Set<() => void>();
  private readonly started = Date.now();
  private server!: Server;
  private readonly maxPollMs: number;
  private readonly deliverWebhooks: boolean;
  private readonly webhookRetryMs: number;
  private webhook: { url: string; secret: string | undefined } | undefined;
  private closed = false;
  /** Every webhook delivery attempt, in order. */
  readonly deliveries: WebhookDelivery[] = [];

  private constructor(options: LocalBotApiOptions) {
    this.token = options.token ?? '123456789:TEST-token-that-must-never-be-logged-AAAA';
    this.maxPollMs = options.maxPollMs ?? 500;
    this.deliverWebhooks = options.deliverWebhooks ?? false;
    this.webhookRetryMs = options.webhookRetryMs ?? 300;
    this.botUser = {
      id: Number(this.token.split(':')[0]),
      is_bot: true,
      first_name: 'dafu test',
      username: options.username ?? 'dafu_test_bot',
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
    };
  }

  /** Starts a server on a free port of 127.0.0.1. */
  static async start(options: LocalBotApiOptions = {}): Promise<LocalBotApi> {
    const api = new LocalBotApi(options);
    api.server = createServer((req, res) => void api.handle(req, res));
    await new Promise<void>((resolve) => api.server.listen(0, '127.0.0.1', resolve));
    return api;
  }

  /** The value for the bot's `client.apiRoot` (TELEGRAM_API_ROOT). */
  get apiRoot(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const wake of this.pollers) wake();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Milliseconds since the server started: the clock of `RecordedCall.at`. */
  now(): number {
    return Date.now() - this.started;
  }

  /** The `update_id` of the last update queued or delivered. */
  get lastUpdateId(): number {
    return this.nextUpdateId - 1;
  }

  /** Queues an update (its `update_id` is assigned); returns the id. */
  push(update: Json): number {
    const id = this.nextUpdateId++;
    if (this.deliverWebhooks && this.webhook) {
      void this.deliver({ update_id: id, ...update }, this.webhook);
      return id;
    }
    this.updates.push({ update_id: id, ...update });
    for (const wake of [...this.pollers]) wake();
    return id;
  }

  /** POSTs `update` to the webhook until a request succeeds (2xx), re-sending after failures, at most 20 times. */
  private async deliver(update: Json, hook: { url: string; secret: string | undefined }): Promise<void> {
    for (let attempt = 1; attempt <= 20 && !this.closed; attempt++) {
      let status: number | 'network';
      try {
        const res = await fetch(hook.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(hook.secret ? { 'x-telegram-bot-api-secret-token': hook.secret } : {}) },
          body: JSON.stringify(update),
        });
        await res.arrayBuffer();
        status = res.status;
      } catch {
        status = 'network';
      }
      this.deliveries.push({ updateId: Number(update.update_id), attempt, status });
      if (typeof status === 'number' && status >= 200 && status < 300) return;
      await new Promise((r) => setTimeout(r, this.webhookRetryMs));
    }
  }


  /** Queues a text message from `userId` in `chatId` (private when they are equal); returns the message id. */
  sendText(options: { text: string; userId: number; chatId?: number; chatType?: 'private' | 'group' | 'supergroup'; replyTo?: Json; firstName?: string }): number {
    const chatId = options.chatId ?? options.userId;
    const type = options.chatType ?? (chatId === options.userId ? 'private' : 'supergroup');
    const chat: Json = type === 'private' ? { id: chatId, type, first_name: options.firstName ?? 'Tester' } : { id: chatId, type, title: 'Test group' };
    this.chats.set(chatId, chat);
    const messageId = this.allocMessageId(chatId);
    const entities = this.entitiesOf(options.text);
    this.push({
      message: {
        message_id: messageId,
        date: Math.floor(Date.now() / 1000),
        chat,
        from: { id: options.userId, is_bot: false, first_name: options.firstName ?? 'Tester' },
        text: options.text,
        ...(entities.length ? { entities } : {}),
        ...(options.replyTo ? { reply_to_message: options.replyTo } : {}),
      },
    });
    return messageId;
  }

  /** Queues a button tap on a message the bot sent (`message` as recorded in `calls[i].response`). */
  tap(options: { userId: number; message: Json; data: string }): string {
    const id = `cq${this.nextUpdateId}`;
    this.push({
      callback_query: {
        id,
        from: { id: options.userId, is_bot: false, first_name: 'Tester' },
        chat_instance: 'ci',
        message: options.message,
        data: options.data,
      },
    });
    return id;
  }

  /** Makes the next `times` calls of `method` fail with `failure`. */
  failNext(method: string, failure: Failure, times = 1): void {
    const list = this.failures.get(method) ?? [];
    for (let i = 0; i < times; i++) list.push(failure);
    this.failures.set(method, list);
  }

  /**
   * Fails every call of `method` ('*' for all) for the next `ms` milliseconds
   * with `failure`, or with 'network': the connection is dropped without an
   * answer, as when the API cannot be reached.
   */
  failFor(method: string, ms: number, failure: Failure | 'network'): void {
    this.outages.push({ method, until: Date.now() + ms, failure });
  }

  /** Answers calls of `method` only after `ms` milliseconds (0 removes the delay). */
  setLatency(method: string, ms: number): void {
    this.latency.set(method, ms);
  }

  /** Calls of `method` (all calls when omitted), optionally only those after index `since`. */
  callsOf(method?: string, since = 0): RecordedCall[] {
    return this.calls.slice(since).filter((c) => method === undefined || c.method === method);
  }

  /** Resolves with the first call (from index `since`) matching `predicate`; rejects after `timeoutMs`. */
  waitFor(predicate: (call: RecordedCall) => boolean, options: { since?: number; timeoutMs?: number } = {}): Promise<RecordedCall> {
    const since = options.since ?? 0;
    const timeoutMs = options.timeoutMs ?? 10_000;
    return new Promise((resolve, reject) => {
      const check = () => {
        const hit = this.calls.slice(since).find(predicate);
        if (hit) {
          cleanup();
          resolve(hit);
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`waitFor: no matching call within ${timeoutMs} ms; calls: ${this.calls.slice(since).map((c) => c.method).join(', ')}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.callListeners.delete(listener);
      };
      const listener = () => void check();
      if (!check()) this.callListeners.add(listener);
    });
  }

  private allocMessageId(chatId: number): number {
    const id = (this.nextMessageId.get(chatId) ?? 0) + 1;
    this.nextMessageId.set(chatId, id);
    return id;
  }

  private entitiesOf(text: string): Json[] {
    const out: Json[] = [];
    const re = /(^\/[A-Za-z0-9_]+(?:@[A-Za-z0-9_]+)?)|(@[A-Za-z0-9_]{3,})/g;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      out.push({ type: m[1] ? 'bot_command' : 'mention', offset: m.index, length: m[0].length });
    }
    return out;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    const send = (status: number, body: Json) => {
      if (res.destroyed) return;
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (!match || match[1] !== this.token) return send(401, { ok: false, error_code: 401, description: 'Unauthorized' });
    const method = match[2]!;
    const params = await readParams(req, url);
    this.arrived.set(method, (this.arrived.get(method) ?? 0) + 1);
    const delay = this.latency.get(method) ?? 0;
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    const outage = this.outages.find((o) => (o.method === method || o.method === '*') && o.until > Date.now());
    if (outage?.failure === 'network') {
      this.record(method, params, { network: 'dropped' });
      req.socket.destroy();
      return;
    }
    const failure = outage?.failure ?? this.failures.get(method)?.shift();
    if (failure) {
      const body: Json = {
        ok: false,
        error_code: failure.code,
        description: failure.code === 429 ? `Too Many Requests: retry after ${(failure as { retryAfter: number }).retryAfter}` : 'description' in failure && failure.description ? failure.description : 'Internal Server Error',
        ...(failure.code === 429 ? { parameters: { retry_after: (failure as { retryAfter: number }).retryAfter } } : {}),
      };
      this.record(method, params, body);
      return send(failure.code, body);
    }
    if (method === 'getUpdates') return this.getUpdates(params, req, send);
    const result = this.result(method, params);
    this.record(method, params, result);
    send(200, { ok: true, result });
  }

  private record(method: string, params: Json, response: unknown): void {
    this.calls.push({ method, params, at: Date.now() - this.started, response });
    for (const l of [...this.callListeners]) l();
  }

  private getUpdates(params: Json, req: IncomingMessage, send: (status: number, body: Json) => void): void {
    const offset = Number(params.offset ?? 0);
    const limit = Math.max(1, Math.min(100, Number(params.limit ?? 100)));
    const waitMs = Math.min(Number(params.timeout ?? 0) * 1000, this.maxPollMs);
    // Updates before `offset` are confirmed: forget them, as Telegram does.
    while (this.updates.length && Number(this.updates[0]!.update_id) < offset) this.updates.shift();
    const reply = () => {
      const batch = this.updates.filter((u) => Number(u.update_id) >= offset).slice(0, limit);
      this.record('getUpdates', params, batch);
      send(200, { ok: true, result: batch });
    };
    if (this.updates.some((u) => Number(u.update_id) >= offset) || waitMs <= 0) return reply();
    let timer: NodeJS.Timeout | undefined;
    const finish = () => {
      if (timer) clearTimeout(timer);
      this.pollers.delete(finish);
      req.off('close', onClose);
      reply();
    };
    const onClose = () => {
      if (timer) clearTimeout(timer);
      this.pollers.delete(finish);
    };
    timer = setTimeout(finish, waitMs);
    this.pollers.add(finish);
    req.on('close', onClose);
  }

  private result(method: string, params: Json): unknown {
    const chatId = Number(params.chat_id);
    const chat = this.chats.get(chatId) ?? { id: chatId, type: chatId < 0 ? 'supergroup' : 'private' };
    const message = (text: unknown): Json => ({
      message_id: this.allocMessageId(chatId),
      date: Math.floor(Date.now() / 1000),
      chat,
      from: { id: this.botUser.id, is_bot: true, first_name: this.botUser.first_name, username: this.botUser.username },
      text,
      ...(params.reply_markup ? { reply_markup: params.reply_markup } : {}),
    });
    switch (method) {
      case 'getMe':
        return this.botUser;
      case 'setWebhook':
        this.webhook = { url: String(params.url), secret: params.secret_token === undefined ? undefined : String(params.secret_token) };
        return true;
      case 'deleteWebhook':
        this.webhook = undefined;
        return true;
      case 'sendMessage':
        return message(params.text);
      case 'editMessageText':
        return { message_id: Number(params.message_id), date: Math.floor(Date.now() / 1000), edit_date: Math.floor(Date.now() / 1000), chat, text: params.text, ...(params.reply_markup ? { reply_markup: params.reply_markup } : {}) };
      default:
        return true;
    }
  }
}

async function readParams(req: IncomingMessage, url: URL): Promise<Json> {
  const params: Json = Object.fromEntries(url.searchParams);
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const body = Buffer.concat(chunks).toString('utf8');
  if (!body) return params;
  const type = req.headers['content-type'] ?? '';
  if (type.includes('application/json')) return { ...params, ...(JSON.parse(body) as Json) };
  if (type.includes('x-www-form-urlencoded')) return { ...params, ...Object.fromEntries(new URLSearchParams(body)) };
  return { ...params, body };
}

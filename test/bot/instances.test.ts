/**
 * Issue 12 end to end: several bot instances behind one webhook URL. Each
 * instance is `npm start` in its own process (webhook mode, the real engine
 * on the tiny model), all sharing one Redis and one store (the file store in
 * a temp STORE_DIR). Telegram is the local Bot API server on 127.0.0.1,
 * delivering updates by webhook and re-sending those whose request failed;
 * a small load balancer in the test decides which instance gets each
 * request. What a user would notice is checked: follow-ups work whichever
 * instance answers, the rate limit counts across instances, a re-sent update
 * is answered once, a long button works on another instance, /reload on one
 * runs one ingest and all serve the new store, and killing an instance
 * mid-answer loses only that answer.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MSG } from '../../src/bot/messages.ts';
import { LocalBotApi, type RecordedCall } from '../helpers/bot-api-server.ts';
import { buttons } from '../helpers/bot-harness.ts';
import { spawnDevDb } from '../helpers/devdb.ts';
import { NO_REDIS, testRedisUrl } from '../helpers/redis.ts';
import { SAMPLE_CORPUS } from '../helpers/store.ts';
import { visibleText } from '../helpers/telegram-html.ts';
import { tinyModelDirSync } from '../helpers/tiny-model.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const SECRET = 'e2e-webhook-secret-0123456789';
/** Held back from the first ingest; /reload brings it in. */
const LATE_FILE = '003_e8697536acab98ae.txt';
const LATE_DOC = '吉工信议案〔2025〕11号';
const text = (c: RecordedCall) => String(c.params.text);
type Json = Record<string, unknown>;

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** One `npm start` process: its port, its log lines (JSON on stderr) and a way to stop or kill it. */
interface Instance {
  name: string;
  port: number;
  child: ChildProcess;
  log: () => string;
  exit: Promise<number | null>;
  /** Log lines with `"msg":"<msg>"`. */
  count(msg: string): number;
}

async function startInstance(name: string, env: Record<string, string>): Promise<Instance> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'start'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env, WEBHOOK_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  child.stdout!.resume();
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const instance: Instance = { name, port, child, exit, log: () => log, count: (msg) => log.split('\n').filter((l) => l.includes(`"msg":"${msg}"`)).length };
  return instance;
}

/** Resolves when `instance` logged a line matching `re`; rejects if it exits first or after `ms`. */
async function waitForLog(instance: Instance, re: RegExp, ms = 120_000): Promise<void> {
  const until = Date.now() + ms;
  let exited = false;
  void instance.exit.then(() => (exited = true));
  while (!re.test(instance.log())) {
    if (exited) throw new Error(`${instance.name} exited before logging ${re}:\n${instance.log().slice(-3000)}`);
    if (Date.now() > until) throw new Error(`${instance.name} did not log ${re} within ${ms} ms:\n${instance.log().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The load balancer in front of the instances: the one public webhook URL.
 * `route` picks the instance for each request (by the update, and how many
 * times this update came before); `cutNext` makes the next request's
 * answer never reach Telegram (the connection is dropped after the
 * instance answered), as a proxy timing out would.
 */
class Balancer {
  route: (update: Json, seenBefore: number) => Instance = () => {
    throw new Error('no route');
  };
  cutNext = 0;
  private readonly seen = new Map<number, number>();
  private server!: Server;

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.forward(req, res));
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  private async forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const update = JSON.parse(body.toString('utf8')) as Json;
    const id = Number(update.update_id);
    const before = this.seen.get(id) ?? 0;
    this.seen.set(id, before + 1);
    const target = this.route(update, before);
    const cut = this.cutNext > 0 ? (this.cutNext--, true) : false;
    const upstream = request({ host: '127.0.0.1', port: target.port, path: req.url, method: 'POST', headers: req.headers }, (up) => {
      const parts: Buffer[] = [];
      up.on('data', (d: Buffer) => parts.push(d));
      up.on('end', () => {
        if (cut) return void res.socket?.destroy();
        res.writeHead(up.statusCode ?? 502, up.headers).end(Buffer.concat(parts));
      });
    });
    // The instance is gone (killed mid-request, or not listening): Telegram sees a failed request and re-sends.
    upstream.on('error', () => void (res.headersSent ? res.socket?.destroy() : res.writeHead(502).end()));
    upstream.end(body);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}

/** The user (or tapper) an update comes from. */
function fromOf(update: Json): number {
  const m = (update.message ?? update.callback_query) as { from?: { id?: number } } | undefined;
  return Number(m?.from?.id);
}

/**
 * The shared store the instances use: its settings for `npm start` and for
 * `npm run ingest`, and how to drop it afterwards.
 */
interface SharedStore {
  /** STORE_DIR or STORE_URL for every process. */
  env: Record<string, string>;
  /** Arguments for `src/cli.ts ingest` after `--corpus DIR`. */
  ingestArgs: string[];
  close(): Promise<void>;
}

async function fileStore(): Promise<SharedStore> {
  const dir = await mkdtemp(join(tmpdir(), 'dafu-e2e-store-'));
  return { env: { STORE_DIR: dir }, ingestArgs: ['--store', dir], close: () => rm(dir, { recursive: true, force: true }) };
}

/** The Postgres store on devdb (PGlite + pgvector over the wire protocol, in its own process, as `npm run -s devdb`). */
async function pgStore(): Promise<SharedStore> {
  const db = await spawnDevDb();
  return { env: { STORE_URL: db.url, STORE_POLL_MS: '500' }, ingestArgs: [], close: () => db.stop() };
}

/** Runs `src/cli.ts ingest` with a fault injected: resolves once it paused (replies written, nothing published), with its kill. */
async function pausedIngest(corpus: string, store: SharedStore): Promise<{ kill(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'ingest', '--corpus', corpus, ...store.ingestArgs], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', EMBEDDING_MODEL: tinyModelDirSync(), EMBEDDING_OFFLINE: '1', EMBEDDING_THREADS: '1', ...store.env, DAFU_FAULT_INJECT: 'pause:write' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exit = new Promise<void>((r) => child.on('exit', () => r()));
  let err = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.includes('DAFU_PAUSED write')) resolve();
    });
    void exit.then(() => reject(new Error(`the ingest exited before pausing: ${err.slice(-2000)}`)));
  });
  return {
    kill: async () => {
      child.kill('SIGKILL');
      await exit;
    },
  };
}

const STORES = [
  ['the file store in one STORE_DIR', fileStore],
  ['the Postgres store (devdb)', pgStore],
] as const;

for (const [storeName, makeStore] of STORES) describe(`several instances behind one webhook URL, sharing Redis and ${storeName}`, async () => {
  const redisUrl = await testRedisUrl();
  let api: LocalBotApi;
  const lb = new Balancer();
  let llm: Server | undefined;
  let llmAsked!: Promise<void>;
  let a: Instance;
  let b: Instance;
  let corpus: string;
  let baseEnv: Record<string, string>;
  /** Which instance each user's requests go to. */
  const routes = new Map<number, Instance>();
  const instances: Instance[] = [];

  const dirs: string[] = [];
  let store: SharedStore | undefined;
  before(async () => {
    if (!redisUrl) return;
    corpus = await mkdtemp(join(tmpdir(), 'dafu-e2e-corpus-'));
    dirs.push(corpus);
    store = await makeStore();
    for (const f of (await readdir(SAMPLE_CORPUS)).filter((f) => f.endsWith('.txt') && f !== LATE_FILE)) await cp(join(SAMPLE_CORPUS, f), join(corpus, f));
    // A bot id of its own: the instances' keys in Redis (dafu:<bot id>:…) are this run's alone.
    api = await LocalBotApi.start({ token: `${randomInt(100_000_000, 999_999_999)}:TEST-token-that-must-never-be-logged-AAAA`, deliverWebhooks: true, webhookRetryMs: 300 });
    const hook = await lb.start();
    lb.route = (update) => routes.get(fromOf(update)) ?? a;
    baseEnv = {
      TELEGRAM_BOT_TOKEN: api.token,
      TELEGRAM_API_ROOT: api.apiRoot,
      WEBHOOK_URL: hook,
      WEBHOOK_SECRET: SECRET,
      REDIS_URL: redisUrl,
      ...store.env,
      CORPUS_DIR: corpus,
      EMBEDDING_MODEL: tinyModelDirSync(),
      EMBEDDING_OFFLINE: '1',
      EMBEDDING_THREADS: '1',
      ALLOWED_USER_IDS: '1001,1002,1003,1004,1005,1006,1007,1008,1009',
      ADMIN_USER_IDS: '1001,1002',
      RATE_LIMIT_PER_MINUTE: '4',
      LOG_LEVEL: 'info',
      LLM_BASE_URL: '',
    };
    // Both at once on an empty store: one ingests, the other waits for it.
    [a, b] = await Promise.all([startInstance('A', baseEnv), startInstance('B', baseEnv)]);
    instances.push(a, b);
    await Promise.all([waitForLog(a, /"msg":"webhook listening"/), waitForLog(b, /"msg":"webhook listening"/)]);
  });

  after(async () => {
    for (const i of instances) if (i.child.exitCode === null && i.child.signalCode === null) i.child.kill('SIGTERM');
    await Promise.all(instances.map((i) => i.exit));
    await api?.close();
    await lb.close().catch(() => undefined);
    llm?.closeAllConnections();
    await new Promise((r) => (llm ? llm.close(r) : r(undefined)));
    for (const d of dirs) await rm(d, { recursive: true, force: true });
    await store?.close();
  });

  const test = (name: string, fn: () => Promise<void>) => it(name, async (t) => (redisUrl ? fn() : t.skip(NO_REDIS)));

  /** Sends `text` from `userId` through `via`, and resolves with the bot's messages to that chat once the webhook request finished. */
  async function say(via: Instance, userId: number, message: string): Promise<RecordedCall[]> {
    routes.set(userId, via);
    const since = api.calls.length;
    api.sendText({ userId, text: message });
    const updateId = api.lastUpdateId;
    await api.waitFor((c) => c.method === 'sendMessage' && Number(c.params.chat_id) === userId, { since, timeoutMs: 60_000 });
    await delivered(updateId);
    return api.callsOf('sendMessage', since).filter((c) => Number(c.params.chat_id) === userId);
  }

  /** Resolves when a webhook request carrying `updateId` succeeded. */
  async function delivered(updateId: number): Promise<void> {
    const until = Date.now() + 60_000;
    while (!api.deliveries.some((d) => d.updateId === updateId && d.status === 200)) {
      if (Date.now() > until) throw new Error(`update ${updateId} was never delivered: ${JSON.stringify(api.deliveries.filter((d) => d.updateId === updateId))}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  test('started together on an empty store, only one instance ingests; both serve by webhook', async () => {
    assert.equal(a.count('ingesting the corpus before serving') + b.count('ingesting the corpus before serving'), 1, a.log() + b.log());
    assert.equal(api.callsOf('getUpdates').length, 0, 'nobody long-polls');
    assert.equal(api.callsOf('setWebhook').length, 2);
    assert.ok(/"where":"redis:\/\/127\.0\.0\.1:\d+"/.test(a.log()), 'the state is in Redis');
    const where = store!.env.STORE_URL ? /"store":"postgres:\/\/[^"]*127\.0\.0\.1/ : new RegExp(`"store":"${store!.env.STORE_DIR}"`);
    assert.match(a.log() + b.log(), where, 'the store is the one under test');
  });

  test('a conversation whose turns alternate between the instances keeps its follow-ups', async () => {
    const [first] = await say(a, 1002, '省科技厅下一步有什么打算？');
    assert.ok(visibleText(text(first!)).includes('省科技厅'));
    const answeredOnB = b.count('answered');
    // On B, 「那省商务厅呢？」 only makes sense with A's turn: without it B would say there is nothing to refer to.
    const [follow] = await say(b, 1002, '那省商务厅呢？');
    assert.equal(b.count('answered'), answeredOnB + 1, 'B answered the follow-up');
    const seen = visibleText(text(follow!));
    assert.match(seen, /省商务厅/);
    assert.ok(seen.includes('【1】'), seen);
    // And back on A, resolved against B's turn.
    const [again] = await say(a, 1002, '那省科技厅呢？');
    assert.match(visibleText(text(again!)), /省科技厅/);
    assert.doesNotMatch(visibleText(text(again!)), /^省商务厅/);
  });

  test('the rate limit counts across both instances', async () => {
    const replies: string[] = [];
    for (let i = 0; i < 5; i++) {
      const [m] = await say(i % 2 ? b : a, 1005, '/doc 吉工信议案〔2025〕6号');
      replies.push(text(m!));
    }
    // RATE_LIMIT_PER_MINUTE=4: two or three on each instance, but four in all.
    assert.equal(replies.filter((r) => r.includes('关于对省十四届人大四次会议第0147号代表建议的答复')).length, 4);
    assert.match(replies[4]!, /您的提问有点频繁，请 \d+ 秒后再试/);
  });

  test('a re-sent update is answered once, even when the copy reaches the other instance', async () => {
    routes.delete(1004);
    lb.route = (update, seenBefore) => (fromOf(update) === 1004 ? (seenBefore === 0 ? a : b) : (routes.get(fromOf(update)) ?? a));
    lb.cutNext = 1;
    const since = api.calls.length;
    api.sendText({ userId: 1004, text: '/doc 吉工信议案〔2025〕6号' });
    const updateId = api.lastUpdateId;
    await delivered(updateId);
    // Give a second answer time to show up if there were one.
    await new Promise((r) => setTimeout(r, 1500));
    const attempts = api.deliveries.filter((d) => d.updateId === updateId);
    assert.deepEqual(attempts.map((d) => d.status), ['network', 200], 'Telegram re-sent it once');
    assert.equal(api.callsOf('sendMessage', since).filter((c) => Number(c.params.chat_id) === 1004).length, 1, 'answered once');
    assert.ok(b.log().includes(`"msg":"duplicate update dropped","updateId":${updateId}`), 'B recognised the copy');
    lb.route = (update) => routes.get(fromOf(update)) ?? a;
  });

  test('a long button made on A works when its tap reaches B', async () => {
    // A query too long for the button itself: its data goes into Redis under a short key.
    const [card] = await say(a, 1003, '/doc 关于对省十四届人大四次会议第0147号代表建议的答复');
    const long = buttons(card!).filter((x) => x.callback_data.startsWith('dq:'));
    assert.ok(long.length > 0, `the card's part buttons use short keys: ${JSON.stringify(buttons(card!))}`);
    routes.set(1003, b);
    const since = api.calls.length;
    api.tap({ userId: 1003, message: card!.response as Json, data: long[0]!.callback_data });
    const part = await api.waitFor((c) => c.method === 'sendMessage' && Number(c.params.chat_id) === 1003, { since, timeoutMs: 30_000 });
    const answered = api.callsOf('answerCallbackQuery', since);
    assert.equal(answered.length, 1);
    assert.equal(answered[0]!.params.show_alert, undefined, 'no "this is gone" alert');
    assert.match(visibleText(text(part)), /吉工信议案〔2025〕6号/);
  });

  test('/reload on A runs one ingest for all; a second /reload meanwhile is refused; both answer throughout and then serve the new store', async () => {
    for (const via of [a, b]) {
      const [m] = await say(via, 1006, `/doc ${LATE_DOC}`);
      assert.equal(text(m!), MSG.docNotFound(LATE_DOC));
    }
    await cp(join(SAMPLE_CORPUS, LATE_FILE), join(corpus, LATE_FILE));
    // An ingest in another process stops after writing the new reply, before publishing: neither instance sees any of it.
    const half = await pausedIngest(corpus, store!);
    try {
      for (const via of [a, b]) {
        const [m] = await say(via, 1008, `/doc ${LATE_DOC}`);
        assert.equal(text(m!), MSG.docNotFound(LATE_DOC), `${via.name} does not see the unpublished reply`);
        const [q] = await say(via, 1007, '新材料产业有哪些支持措施？');
        assert.doesNotMatch(visibleText(text(q!)), /2025W233|〔2025〕11号/, `${via.name} cites nothing of the unpublished reply`);
      }
    } finally {
      await half.kill();
    }
    const ingestsBefore = a.count('ingest done') + b.count('ingest done');
    const reopenedBefore = b.count('reopened the store another instance published');
    routes.set(1001, a);
    routes.set(1002, b);
    const since = api.calls.length;
    api.sendText({ userId: 1001, text: '/reload' });
    await api.waitFor((c) => c.method === 'sendMessage' && c.params.chat_id === 1001 && c.params.text === MSG.reloadStart, { since, timeoutMs: 30_000 });
    // While A ingests: another admin's /reload on B is refused, and questions on both are answered.
    const [busy] = await say(b, 1002, '/reload');
    assert.equal(text(busy!), MSG.reloadBusy);
    const during = await Promise.all([say(a, 1007, '省科技厅下一步有什么打算？'), say(b, 1008, '省科技厅下一步有什么打算？')]);
    for (const [m] of during) assert.notEqual(text(m!), MSG.apology);
    const done = await api.waitFor((c) => c.method === 'sendMessage' && c.params.chat_id === 1001 && String(c.params.text).startsWith('重新加载完成'), { since, timeoutMs: 120_000 }).catch(async () => {
      throw new Error(`no reload reply: ${JSON.stringify(api.callsOf('sendMessage', since).map((c) => c.params.text))}\n${a.log().slice(-2000)}`);
    });
    assert.match(text(done), /新增 1 份/);
    await waitForLog(b, new RegExp(`("msg":"reopened the store another instance published".*){${reopenedBefore + 1}}`, 's'), 30_000);
    assert.equal(a.count('ingest done') + b.count('ingest done'), ingestsBefore + 1, 'one ingest, on A');
    for (const via of [b, a]) {
      const [m] = await say(via, 1006, `/doc ${LATE_DOC}`);
      assert.match(visibleText(text(m!)), /关于对省政协十三届三次会议 ?2025W233 ?号提案的答复/, `${via.name} serves the new store`);
    }
    // The question asked while the ingest was half-way is answered from the new reply now (so its earlier answers could have shown it).
    const [q] = await say(b, 1003, '新材料产业有哪些支持措施？');
    assert.match(visibleText(text(q!)), /2025W233|〔2025〕11号/);
  });

  test('killing an instance mid-answer loses only that answer', async () => {
    // A third instance whose answers wait on an LLM that never replies: it is surely mid-answer when killed.
    let asked!: () => void;
    llmAsked = new Promise<void>((r) => (asked = r));
    llm = createServer((req) => {
      req.resume();
      asked();
    });
    await new Promise<void>((r) => llm!.listen(0, '127.0.0.1', r));
    const c = await startInstance('C', { ...baseEnv, LLM_BASE_URL: `http://127.0.0.1:${(llm.address() as AddressInfo).port}/v1`, LLM_MODEL: 'never', LLM_API_KEY: 'sk-e2e', LLM_TIMEOUT_MS: '600000' });
    instances.push(c);
    await waitForLog(c, /"msg":"webhook listening"/);

    // A turn answered by C (a commitments question: no LLM needed), then a question that C takes to its LLM.
    const [first] = await say(c, 1009, '省科技厅下一步有什么打算？');
    assert.ok(visibleText(text(first!)).includes('省科技厅'));
    const since = api.calls.length;
    api.sendText({ userId: 1009, text: '职务科技成果赋权试点有几家单位？' });
    const lostUpdate = api.lastUpdateId;
    await Promise.race([
      llmAsked,
      new Promise((_, reject) => setTimeout(() => reject(new Error(`C never asked its LLM (the question no longer goes to the LLM composer?):\n${c.log().slice(-2000)}`)), 60_000).unref()),
    ]);
    c.child.kill('SIGKILL');
    await c.exit;
    // Telegram re-sends the unfinished request; the balancer sends it to B, which recognises it.
    routes.set(1009, b);
    await delivered(lostUpdate);
    assert.ok(api.deliveries.some((d) => d.updateId === lostUpdate && d.status !== 200), 'the request to C failed');
    assert.ok(b.log().includes(`"msg":"duplicate update dropped","updateId":${lostUpdate}`));
    assert.equal(api.callsOf('sendMessage', since).filter((m) => Number(m.params.chat_id) === 1009).length, 0, 'the killed answer is lost, and not answered twice');

    // Everything else goes on: another chat on A, and this chat's next follow-up on B, against the turn C stored before dying.
    const [other] = await say(a, 1004, '省商务厅下一步有什么打算？');
    assert.match(visibleText(text(other!)), /省商务厅/);
    const [follow] = await say(b, 1009, '那省商务厅呢？');
    assert.match(visibleText(text(follow!)), /省商务厅/);
  });
});

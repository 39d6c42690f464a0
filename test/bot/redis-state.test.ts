/**
 * Bot state in a real Redis (issue 12), as two instances see it: each
 * "instance" here has its own connection, as two processes would. Appends,
 * window checks, button keys, seen updates and locks must hold when both
 * act at the same moment. Skipped without Redis, except in CI.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Conversation } from '../../src/answer/types.ts';
import { MSG } from '../../src/bot/messages.ts';
import { createBot } from '../../src/bot/createBot.ts';
import { RedisShortKeys } from '../../src/bot/callback-data.ts';
import { RedisChatHistory, withHistory } from '../../src/bot/history.ts';
import { RedisInstances } from '../../src/bot/instances.ts';
import { RedisRateLimiter } from '../../src/bot/rate-limit.ts';
import { connectRedis, type Redis } from '../../src/bot/redis.ts';
import { startBot } from '../../src/bot/run.ts';
import { RedisSeenUpdates } from '../../src/bot/seen-updates.ts';
import { redisState } from '../../src/bot/state.ts';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { DafuUnreachableError } from '../../src/errors.ts';
import { createLogger } from '../../src/log.ts';
import { LocalBotApi } from '../helpers/bot-api-server.ts';
import { fakeEngine } from '../helpers/bot-fake-engine.ts';
import { NO_REDIS, ownRedisServer, testRedisUrl, uniquePrefix } from '../helpers/redis.ts';

const turn = (q: string) => ({ question: q, resolvedQuestion: q, citations: [], at: Date.now() });
const silent = createLogger({ level: 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('bot state in Redis, shared by two instances', async () => {
  const url = await testRedisUrl();
  let a: Redis;
  let b: Redis;
  before(async () => {
    if (!url) return;
    a = await connectRedis(url);
    b = await connectRedis(url);
  });
  after(() => {
    a?.disconnect();
    b?.disconnect();
  });
  const test = (name: string, fn: () => Promise<void>) => it(name, async (t) => (url ? fn() : t.skip(NO_REDIS)));

  test('two answers of one chat finishing at once on two instances both keep their turn', async () => {
    const p = uniquePrefix();
    const ha = new RedisChatHistory(a, p, 60_000);
    const hb = new RedisChatHistory(b, p, 60_000);
    await ha.append(7, turn('first'));
    // Both load the same history, then both add a turn; a session read-modify-write would keep only one.
    let bothLoaded!: () => void;
    const loaded = new Promise<void>((r) => (bothLoaded = r));
    let n = 0;
    const ask = (q: string) => async (conv: Conversation) => {
      assert.deepEqual(conv.turns.map((t) => t.question), ['first']);
      if (++n === 2) bothLoaded();
      await loaded;
      conv.turns.push(turn(q));
    };
    await Promise.all([withHistory(ha, 7, ask('on A')), withHistory(hb, 7, ask('on B'))]);
    const turns = (await ha.load(7)).turns.map((t) => t.question);
    assert.equal(turns[0], 'first');
    assert.deepEqual(turns.slice(1).sort(), ['on A', 'on B']);
    assert.deepEqual((await hb.load(8)).turns, [], 'other chats are separate');
  });

  test('a history keeps the last five turns and expires after silence; /reset clears it everywhere', async () => {
    const p = uniquePrefix();
    const h = new RedisChatHistory(a, p, 300);
    for (let i = 0; i < 7; i++) await h.append(1, turn(`q${i}`));
    assert.deepEqual((await new RedisChatHistory(b, p, 300).load(1)).turns.map((t) => t.question), ['q2', 'q3', 'q4', 'q5', 'q6']);
    await sleep(450);
    assert.deepEqual((await h.load(1)).turns, [], 'expired');
    await h.append(1, turn('again'));
    await new RedisChatHistory(b, p, 300).reset(1);
    assert.deepEqual((await h.load(1)).turns, []);
  });

  test('the rate limit counts one window across both instances, atomically, with one notice', async () => {
    const p = uniquePrefix();
    const ra = new RedisRateLimiter(a, p, 3);
    const rb = new RedisRateLimiter(b, p, 3);
    // Ten at once, five from each instance: exactly three get through.
    const decisions = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? ra : rb).take(42)));
    assert.equal(decisions.filter((d) => d.ok).length, 3);
    const refused = decisions.filter((d): d is Extract<typeof d, { ok: false }> => !d.ok);
    assert.equal(refused.filter((d) => d.notify).length, 1, 'one polite notice per window, across instances');
    assert.ok(refused.every((d) => d.retryInSeconds >= 1 && d.retryInSeconds <= 60));
    assert.equal((await rb.take(43)).ok, true, 'another user has their own window');
  });

  test('a long button made on A is read on B; unknown, forged and expired keys are undefined', async () => {
    const p = uniquePrefix();
    const value = '1:' + '很长的来源编号'.repeat(10);
    const key = await new RedisShortKeys(a, p).put(value);
    assert.match(key, /^[A-Za-z0-9_-]{12}$/);
    assert.equal(await new RedisShortKeys(b, p).get(key), value);
    assert.equal(await new RedisShortKeys(b, p).get('nope'), undefined);
    assert.equal(await new RedisShortKeys(b, p).get('*'), undefined);
    const short = await new RedisShortKeys(a, p, 100).put(value);
    await sleep(200);
    assert.equal(await new RedisShortKeys(b, p).get(short), undefined);
  });

  test('an update offered to both instances at once is taken by exactly one', async () => {
    const p = uniquePrefix();
    const sa = new RedisSeenUpdates(a, p);
    const sb = new RedisSeenUpdates(b, p);
    const firsts = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? sa : sb).first(1234)));
    assert.equal(firsts.filter(Boolean).length, 1);
    assert.equal(await sb.first(1235), true);
  });

  test('locks: one holder at a time, a dead holder\'s lock lapses, and a store announcement reaches the others', async () => {
    const p = uniquePrefix();
    const dying = await connectRedis(url!);
    const ia = new RedisInstances(dying, p, { logger: silent, lockTtlMs: 300, instanceId: 'A', subscriber: () => connectRedis(url!) });
    const ib = new RedisInstances(b, p, { logger: silent, lockTtlMs: 300, instanceId: 'B', subscriber: () => connectRedis(url!) });
    try {
      const pa = await ia.claimPolling();
      assert.ok(!('heldBy' in pa));
      const pb = await ib.claimPolling();
      assert.ok('heldBy' in pb && pb.heldBy.startsWith('A since '), JSON.stringify(pb));
      await sleep(500);
      assert.ok('heldBy' in (await ib.claimPolling()), 'the heartbeat keeps a live holder\'s lock past its expiry');
      await pa.release();
      const again = await ib.claimPolling();
      assert.ok(!('heldBy' in again));
      await again.release();

      const ingest = await ia.tryIngestLock();
      assert.ok(ingest);
      assert.equal(await ib.tryIngestLock(), null, 'one ingest at a time');
      // A sees one announcement from B, and none of its own.
      let seenByA = 0;
      let seenByB = 0;
      await ia.onStorePublished(() => void seenByA++);
      await ib.onStorePublished(() => void seenByB++);
      await ib.announceStore();
      await ia.announceStore();
      await sleep(100);
      assert.deepEqual([seenByA, seenByB], [1, 1]);

      // A dies (its connection drops, no more heartbeats): its lock lapses within the expiry and it learns it lost it.
      dying.disconnect();
      await ingest.lost;
      let taken = await ib.tryIngestLock();
      for (let i = 0; !taken && i < 20; i++) {
        await sleep(50);
        taken = await ib.tryIngestLock();
      }
      assert.ok(taken, 'a dead holder does not block the others');
      await ingest.release();
      assert.equal(await new RedisInstances(a, p, { logger: silent, instanceId: 'C', subscriber: () => connectRedis(url!) }).tryIngestLock(), null, 'a late release by the old holder does not free the new holder\'s lock');
      await taken.release();
    } finally {
      await ia.close();
      await ib.close();
    }
  });

  test('a second long-polling instance of one bot is refused with what to do; once the first stops, another may poll', async () => {
    const api = await LocalBotApi.start();
    const p = uniquePrefix();
    const config = loadConfig({ TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.apiRoot, ALLOWED_USER_IDS: '1001', LOG_LEVEL: 'silent', REDIS_URL: url! });
    const firstState = await redisState(config, url!, silent, { prefix: p });
    const first = createBot(config, { engine: fakeEngine(), logger: silent, state: firstState });
    const running = await startBot(first, config, silent, { pollTimeoutSeconds: 1 });
    const secondState = await redisState(config, url!, silent, { prefix: p });
    try {
      const second = createBot(config, { engine: fakeEngine(), logger: silent, state: secondState });
      await assert.rejects(startBot(second, config, silent, { pollTimeoutSeconds: 1 }), (err: Error) => {
        assert.match(err.message, /already long-polling this bot/);
        assert.match(err.message, /WEBHOOK_URL/);
        assert.match(err.message, /Several instances/);
        return true;
      });
      // Nor may a webhook instance start: its setWebhook would cut the poller off.
      const hookConfig = loadConfig({ TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.apiRoot, ALLOWED_USER_IDS: '1001', REDIS_URL: url!, WEBHOOK_URL: 'http://127.0.0.1:9/hook', WEBHOOK_PORT: '9', WEBHOOK_SECRET: 'hook-secret-0123456789', LOG_LEVEL: 'silent' });
      const hooked = createBot(hookConfig, { engine: fakeEngine(), logger: silent, state: secondState });
      await assert.rejects(startBot(hooked, hookConfig, silent), /an instance is long-polling this bot .*Stop it first/);
      assert.equal(api.callsOf('setWebhook').length, 0);
      // The first keeps answering.
      api.sendText({ userId: 1001, text: '/reset' });
      assert.equal((await api.waitFor((c) => c.method === 'sendMessage')).params.text, MSG.reset);
    } finally {
      await running.stop();
      await firstState.close();
      await secondState.close();
      await api.close();
    }
    // Once the first stopped (its lock released), another may poll.
    const api2 = await LocalBotApi.start();
    const config2 = loadConfig({ TELEGRAM_BOT_TOKEN: api2.token, TELEGRAM_API_ROOT: api2.apiRoot, ALLOWED_USER_IDS: '1001', LOG_LEVEL: 'silent', REDIS_URL: url! });
    const state3 = await redisState(config2, url!, silent, { prefix: p });
    const third = await startBot(createBot(config2, { engine: fakeEngine(), logger: silent, state: state3 }), config2, silent, { pollTimeoutSeconds: 1 });
    await third.stop();
    await state3.close();
    await api2.close();
  });
});

it('REDIS_URL: a bad value or an unreachable server is a clear error that never shows the password', async () => {
  assert.throws(() => loadConfig({ REDIS_URL: 'http://user:hunter2@x' }), (err: Error) => err instanceof ConfigError && /REDIS_URL=\(hidden\): must be a redis:\/\//.test(err.message) && !err.message.includes('hunter2'));
  assert.equal(loadConfig({}).REDIS_URL, undefined, 'unset by default: state in memory');
  // A closed port on loopback: refused at once.
  await assert.rejects(connectRedis('redis://:hunter2@127.0.0.1:1/0', { connectTimeoutMs: 1000 }), (err: Error) => {
    assert.ok(err instanceof DafuUnreachableError);
    assert.match(err.message, /cannot use Redis at redis:\/\/127\.0\.0\.1:1\/0 \(REDIS_URL\)/);
    assert.match(err.message, /unset REDIS_URL/);
    assert.ok(!err.message.includes('hunter2'));
    return true;
  });
});

it('while Redis is down users get the apology, and once it is back they get answers again, without a restart', async (t) => {
  const server = await ownRedisServer();
  if (!server) {
    if (process.env['CI'] === 'true') throw new Error(`CI=true but ${NO_REDIS}`);
    return t.skip(NO_REDIS);
  }
  const api = await LocalBotApi.start();
  const config = loadConfig({ TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.apiRoot, ALLOWED_USER_IDS: '1001', LOG_LEVEL: 'silent', REDIS_URL: server.url });
  const state = await redisState(config, server.url, silent, { prefix: uniquePrefix() });
  const running = await startBot(createBot(config, { engine: fakeEngine(), logger: silent, state, retry: { baseDelayMs: 50 } }), config, silent, { pollTimeoutSeconds: 1 });
  try {
    await server.kill();
    let since = api.calls.length;
    api.sendText({ userId: 1001, text: '/reset' });
    assert.equal((await api.waitFor((c) => c.method === 'sendMessage', { since, timeoutMs: 20_000 })).params.text, MSG.apology);
    const back = await ownRedisServer(server.port);
    t.after(() => back?.kill());
    // ioredis reconnects within its capped backoff (2 s).
    await sleep(2500);
    since = api.calls.length;
    api.sendText({ userId: 1001, text: '/reset' });
    assert.equal((await api.waitFor((c) => c.method === 'sendMessage', { since, timeoutMs: 20_000 })).params.text, MSG.reset);
  } finally {
    await running.stop();
    await state.close();
    await api.close();
    await server.kill();
  }
});

/**
 * Issue 10, item 2 (and 19's URL check): webhook mode refuses to start
 * without WEBHOOK_SECRET (a forged update could otherwise send corpus text to
 * any chat), checks the secret before reading a body, caps bodies, and
 * answers 400 (not 500) to an empty body, `null`, malformed JSON or a
 * non-update. Real HTTP on 127.0.0.1 against the local Bot API server.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { describe, it } from 'node:test';
import { createBot } from '../../src/bot/createBot.ts';
import { MSG } from '../../src/bot/messages.ts';
import { startBot, webhookProblem, WEBHOOK_MAX_BODY_BYTES } from '../../src/bot/run.ts';
import { loadConfig } from '../../src/config.ts';
import { DafuInputError } from '../../src/errors.ts';
import { createLogger } from '../../src/log.ts';
import { LocalBotApi } from '../helpers/bot-api-server.ts';
import { fakeEngine } from '../helpers/bot-fake-engine.ts';
import { freePort } from '../helpers/free-port.ts';


const SECRET = 'test-secret-0123456789abcdef';

/** POSTs `body` (a Buffer, or `size` bytes streamed in 64 KB pieces without a length) and resolves with the status; a reset after the status counts as that status. */
function post(url: string, body: Buffer | { size: number }, headers: Record<string, string> = {}, method = 'POST'): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    if (Buffer.isBuffer(body)) return void req.end(body);
    const piece = Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    const pump = () => {
      while (sent < body.size) {
        sent += piece.length;
        if (!req.write(piece)) return void req.once('drain', pump);
      }
      req.end();
    };
    req.on('error', () => undefined);
    pump();
  });
}

describe('webhook hardening', () => {
  it('refuses to start without a secret, with a weak one, or with a non-https URL, saying how to fix it', async () => {
    const base = { TELEGRAM_BOT_TOKEN: '123456:' + 'A'.repeat(35) };
    const noSecret = loadConfig({ ...base, WEBHOOK_URL: 'https://bot.example.org/hook' });
    assert.match(webhookProblem(noSecret) ?? '', /needs WEBHOOK_SECRET.*forged updates.*openssl rand -hex 32/s);
    assert.match(webhookProblem(loadConfig({ ...base, WEBHOOK_URL: 'https://bot.example.org/hook', WEBHOOK_SECRET: 'short' })) ?? '', /16 to 256 characters/);
    assert.match(webhookProblem(loadConfig({ ...base, WEBHOOK_URL: 'http://bot.example.org/hook', WEBHOOK_SECRET: SECRET })) ?? '', /must be an https URL/);
    assert.match(webhookProblem(loadConfig({ ...base, WEBHOOK_URL: 'bot.example.org/hook', WEBHOOK_SECRET: SECRET })) ?? '', /is not a URL/);
    assert.equal(webhookProblem(loadConfig({ ...base, WEBHOOK_URL: 'https://bot.example.org/hook', WEBHOOK_SECRET: SECRET })), null);
    assert.equal(webhookProblem(loadConfig(base)), null, 'polling needs none of it');

    // startBot itself refuses too, before setting any webhook.
    const api = await LocalBotApi.start();
    try {
      const port = await freePort();
      const config = loadConfig({ TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.apiRoot, WEBHOOK_URL: `http://127.0.0.1:${port}/hook`, WEBHOOK_PORT: String(port), ALLOWED_USER_IDS: '1001' });
      const bot = createBot(config, { engine: fakeEngine(), logger: createLogger({ level: 'silent' }) });
      await assert.rejects(startBot(bot, config, createLogger({ level: 'silent' })), (err: unknown) => err instanceof DafuInputError && /WEBHOOK_SECRET/.test(err.message));
      assert.equal(api.callsOf('setWebhook').length, 0);
    } finally {
      await api.close();
    }
  });

  it('checks the secret first, caps the body, answers 400 to bodies that are not updates, and keeps serving', async () => {
    const api = await LocalBotApi.start();
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/tg-hook`;
    const config = loadConfig({ TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.apiRoot, WEBHOOK_URL: url, WEBHOOK_PORT: String(port), WEBHOOK_SECRET: SECRET, ALLOWED_USER_IDS: '1001' });
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', write: (l) => void lines.push(l) });
    const bot = createBot(config, { engine: fakeEngine(), logger });
    const running = await startBot(bot, config, logger);
    const auth = { 'x-telegram-bot-api-secret-token': SECRET };
    try {
      assert.equal(await post(url, Buffer.from('{}'), { 'x-telegram-bot-api-secret-token': 'wrong-secret-0123456789abcd' }), 401);
      assert.equal(await post(url, Buffer.from('{}')), 401);
      assert.equal(await post(url, Buffer.from(''), auth, 'GET'), 405);
      assert.equal(await post(`http://127.0.0.1:${port}/elsewhere`, Buffer.from('{}'), auth), 404);

      for (const body of ['', 'null', '{"update_id":', '[]', '"text"', '{"message":{}}']) {
        assert.equal(await post(url, Buffer.from(body), auth), 400, `body ${JSON.stringify(body)}`);
      }
      // Declared too large: refused from its header. Streamed without a length: cut off at the cap.
      const big = Buffer.alloc(WEBHOOK_MAX_BODY_BYTES + 1, 0x20);
      assert.equal(await post(url, big, auth), 413);
      const before = process.memoryUsage().rss;
      assert.equal(await post(url, { size: 8 * WEBHOOK_MAX_BODY_BYTES }, { ...auth, 'transfer-encoding': 'chunked' }), 413);
      assert.ok(process.memoryUsage().rss - before < 6 * WEBHOOK_MAX_BODY_BYTES, 'the streamed body was not buffered');
      assert.ok(!lines.some((l) => l.includes('"level":"error"')), 'no 500s, no errors logged');

      const update = { update_id: 7, message: { message_id: 1, date: 0, chat: { id: 1001, type: 'private', first_name: 'T' }, from: { id: 1001, is_bot: false, first_name: 'T' }, text: '/reset', entities: [{ type: 'bot_command', offset: 0, length: 6 }] } };
      assert.equal(await post(url, Buffer.from(JSON.stringify(update)), auth), 200);
      const sent = await api.waitFor((c) => c.method === 'sendMessage');
      assert.equal(sent.params.text, MSG.reset);
    } finally {
      await running.stop();
      await api.close();
    }
  });
});

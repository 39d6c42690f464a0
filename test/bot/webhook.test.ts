/** Webhook mode: WEBHOOK_URL set → setWebhook with the secret, updates POSTed to our server get answered, forged ones are rejected. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { createBot } from '../../src/bot/createBot.ts';
import { MSG } from '../../src/bot/messages.ts';
import { startBot } from '../../src/bot/run.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { LocalBotApi } from '../helpers/bot-api-server.ts';
import { fakeEngine } from '../helpers/bot-fake-engine.ts';
import { freePort } from '../helpers/free-port.ts';


it('serves updates by webhook, checking the secret token', async () => {
  const api = await LocalBotApi.start();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/tg-hook`;
  const config = loadConfig({ TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.apiRoot, WEBHOOK_URL: url, WEBHOOK_PORT: String(port), WEBHOOK_SECRET: 'hook-secret-0123456789', ALLOWED_USER_IDS: '1001', LOG_LEVEL: 'silent' });
  const bot = createBot(config, { engine: fakeEngine(), logger: createLogger({ level: 'silent' }) });
  const running = await startBot(bot, config, createLogger({ level: 'silent' }));
  try {
    assert.equal(running.mode, 'webhook');
    const set = api.callsOf('setWebhook')[0]!;
    assert.equal(set.params.url, url);
    assert.equal(set.params.secret_token, 'hook-secret-0123456789');
    assert.equal(api.callsOf('getUpdates').length, 0);

    const update = { update_id: 1, message: { message_id: 1, date: 0, chat: { id: 1001, type: 'private', first_name: 'T' }, from: { id: 1001, is_bot: false, first_name: 'T' }, text: '/reset', entities: [{ type: 'bot_command', offset: 0, length: 6 }] } };
    const forged = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(update) });
    assert.equal(forged.status, 401);
    const ok = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'hook-secret-0123456789' }, body: JSON.stringify(update) });
    assert.equal(ok.status, 200);
    const sent = await api.waitFor((c) => c.method === 'sendMessage');
    assert.equal(sent.params.text, MSG.reset);
  } finally {
    await running.stop();
    await api.close();
  }
});

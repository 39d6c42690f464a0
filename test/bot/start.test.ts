/**
 * `npm start` as a user runs it: a child process reading settings from the
 * environment. Without a token it explains where to get one; with one it
 * ingests the corpus into a fresh store, serves a question against a Bot API
 * server on 127.0.0.1, and exits cleanly on SIGTERM.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { LocalBotApi } from '../helpers/bot-api-server.ts';
import { SAMPLE_CORPUS } from '../helpers/store.ts';
import { tinyModelDirSync } from '../helpers/tiny-model.ts';
import { visibleText } from '../helpers/telegram-html.ts';

const ROOT = join(import.meta.dirname, '..', '..');

function start(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'start'], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exit, output: () => ({ stderr, stdout }) };
}

describe('npm start', () => {
  it('without a token, says where to get one and that npm run chat works without Telegram', async () => {
    // Empty values win over .env (dotenv does not override variables that are set).
    const p = start({ TELEGRAM_BOT_TOKEN: '' });
    assert.equal(await p.exit, 2);
    const { stderr } = p.output();
    assert.match(stderr, /@BotFather/);
    assert.match(stderr, /\.env/);
    assert.match(stderr, /TELEGRAM_BOT_TOKEN=/);
    assert.match(stderr, /npm run chat/);
  });

  it('in webhook mode without WEBHOOK_SECRET, refuses to start (before any ingest) and says how to make one', async () => {
    const p = start({ TELEGRAM_BOT_TOKEN: '123456789:' + 'A'.repeat(35), WEBHOOK_URL: 'https://bot.example.org/hook', WEBHOOK_SECRET: '', STORE_DIR: '/nonexistent/dafu-store' });
    assert.equal(await p.exit, 2);
    const { stderr } = p.output();
    assert.match(stderr, /^dafu start: webhook mode needs WEBHOOK_SECRET/);
    assert.match(stderr, /openssl rand -hex 32/);
    assert.doesNotMatch(stderr, /ingest/);
  });

  it('a malformed token is refused before any ingest, without echoing it (issue 10, item 11)', async () => {
    for (const token of ['"987654321:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"', '987654321', 'ZZQ9yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy', '987654321:short']) {
      const p = start({ TELEGRAM_BOT_TOKEN: token, STORE_DIR: '/nonexistent/dafu-store' });
      assert.equal(await p.exit, 2);
      const { stderr } = p.output();
      assert.match(stderr, /^dafu start: TELEGRAM_BOT_TOKEN does not look like a bot token/);
      assert.match(stderr, /@BotFather/);
      assert.ok(!stderr.includes(token), 'the token is not echoed');
    }
  });

  it('a token Telegram answers 404 or 401 to, and an API that cannot be reached, each get one line before any ingest', async () => {
    const api = await LocalBotApi.start();
    try {
      for (const code of [404, 401]) {
        api.failNext('getMe', { code, description: code === 404 ? 'Not Found' : 'Unauthorized' });
        const p = start({ TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.apiRoot, ALLOWED_USER_IDS: '1001', STORE_DIR: '/nonexistent/dafu-store' });
        assert.equal(await p.exit, 1);
        const { stderr } = p.output();
        assert.equal(stderr.trim().split('\n').length, 1, stderr);
        assert.match(stderr, new RegExp(`^dafu start: Telegram rejected TELEGRAM_BOT_TOKEN \\(${code} `));
        assert.ok(!stderr.includes(api.token));
      }
    } finally {
      await api.close();
    }
    // A port nothing listens on: one line naming the API root and what to check, at once, no stack.
    const started = Date.now();
    const p = start({ TELEGRAM_BOT_TOKEN: '123456789:' + 'A'.repeat(35), TELEGRAM_API_ROOT: 'http://127.0.0.1:9', ALLOWED_USER_IDS: '1001', STORE_DIR: '/nonexistent/dafu-store' });
    assert.equal(await p.exit, 1);
    const { stderr } = p.output();
    assert.ok(Date.now() - started < 15_000);
    assert.equal(stderr.trim().split('\n').length, 1, stderr);
    assert.match(stderr, /^dafu start: cannot reach the Telegram Bot API at http:\/\/127\.0\.0\.1:9 .*ECONNREFUSED.*HTTPS_PROXY.*TELEGRAM_API_ROOT/);
    assert.doesNotMatch(stderr, /\bat .*\.js:\d+/, 'no stack trace');
    assert.ok(!stderr.includes('A'.repeat(35)), 'the token is not in the message');
  });

  it('ingests a missing store, answers over TELEGRAM_API_ROOT, and stops on SIGTERM', async () => {
    const api = await LocalBotApi.start();
    const store = await mkdtemp(join(tmpdir(), 'dafu-start-store-'));
    const p = start({
      TELEGRAM_BOT_TOKEN: api.token,
      TELEGRAM_API_ROOT: api.apiRoot,
      ALLOWED_USER_IDS: '1001',
      STORE_DIR: store,
      CORPUS_DIR: SAMPLE_CORPUS,
      EMBEDDING_MODEL: tinyModelDirSync(),
      EMBEDDING_OFFLINE: '1',
      EMBEDDING_THREADS: '1',
      LOG_LEVEL: 'info',
    });
    try {
      await api.waitFor((c) => c.method === 'getUpdates', { timeoutMs: 60_000 });
      assert.ok(api.callsOf('setMyCommands').length === 1);
      api.sendText({ userId: 1001, text: '吉科发高〔2024〕74号是回哪个提案的？' });
      const answer = await api.waitFor((c) => c.method === 'sendMessage', { timeoutMs: 30_000 });
      assert.ok(visibleText(String(answer.params.text)).includes('2024W298'), String(answer.params.text));
      p.child.kill('SIGTERM');
      assert.equal(await p.exit, 0);
      const { stderr } = p.output();
      assert.match(stderr, /"msg":"ingesting the corpus before serving"/);
      assert.match(stderr, /"msg":"stopped"/);
      assert.ok(!stderr.includes(api.token), 'token not in the log');
    } finally {
      p.child.kill('SIGKILL');
      await api.close();
      await rm(store, { recursive: true, force: true });
    }
  });
});
